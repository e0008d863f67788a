import { useState } from 'react';
import { Alert, App, Button, Card, Modal, Popconfirm, Space, Table, Typography, Upload, type UploadFile } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, uploadWithProgress } from '../../api/client';
import type { Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import ExportButtons from '../../components/ExportButtons';
import Page from '../../components/Page';
import { programTrail } from '../../components/trails';
import ReasonModal from '../../components/ReasonModal';
import { errorText } from '../../components/errors';
import { ErrorState, Loading, NotFoundResult } from '../../components/States';

type Batch = Schemas['ResultBatchView'];
type Upload = Schemas['ResultUpload'];
type Row = Schemas['ResultRow'];
type RowError = Schemas['ImportRowError'];

/**
 * 结业成绩: the institution (or a region administrator) downloads the class sheet, fills 结业状态, 证书编号/不合格原因,
 * 成绩, 获得学时, 学时类别, checks it (every row, nothing stored on any error) and submits it; another program
 * administrator confirms the pending batch (hours credited, completion re-evaluated) or rejects it with a reason.
 */
export default function ProgramResultsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { id } = useParams();
  const navigate = useNavigate();
  const { access, me } = useAuth();
  const programId = Number(id);
  const valid = Number.isInteger(programId) && programId > 0;
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [checked, setChecked] = useState<Upload | undefined>();
  const [busy, setBusy] = useState<'check' | 'submit' | null>(null);
  const [page, setPage] = useState(1);
  const [viewing, setViewing] = useState<number | undefined>();
  const [rejecting, setRejecting] = useState<Batch | undefined>();
  const canDecide = access('program.manage');

  const program = useQuery({
    queryKey: ['program', programId],
    queryFn: () => unwrap(api.GET('/api/programs/{id}', { params: { path: { id: programId } } })),
    enabled: valid,
  });
  const batches = useQuery({
    queryKey: ['program', programId, 'result-batches', page],
    queryFn: () => unwrap(api.GET('/api/programs/{id}/result-batches', { params: { path: { id: programId }, query: { page, page_size: 10 } } })),
    enabled: valid,
  });
  const detail = useQuery({
    queryKey: ['result-batch', viewing],
    queryFn: () => unwrap(api.GET('/api/result-batches/{id}', { params: { path: { id: viewing! } } })),
    enabled: viewing !== undefined,
  });

  const send = async (dryRun: boolean) => {
    const file = files[0]?.originFileObj;
    if (!file) return;
    setBusy(dryRun ? 'check' : 'submit');
    try {
      const body = new FormData();
      body.append('file', file);
      const result = await uploadWithProgress<Upload>(`/api/programs/${programId}/results`, { dry_run: dryRun }, body, () => undefined);
      setChecked(result);
      if (result.batch) {
        message.success(t('results.submitted', { rows: result.batch.row_count }));
        setFiles([]);
        setChecked(undefined);
        void batches.refetch();
      }
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };

  const decide = async (b: Batch, decision: 'approve' | 'reject', reason?: string) => {
    await unwrap(api.POST('/api/result-batches/{id}/decision', { params: { path: { id: b.id } }, body: reason ? { decision, reason } : { decision } }));
    message.success(t(decision === 'approve' ? 'results.confirmed' : 'results.rejected'));
    void batches.refetch();
  };

  if (!valid) return <NotFoundResult />;
  if (program.isPending) return <Loading />;
  if (program.error) return <ErrorState error={program.error} onRetry={() => program.refetch()} />;
  const report = checked?.report;
  const clean = report && report.errors.length === 0;

  const batchColumns = [
    { title: t('results.batch'), dataIndex: 'id', width: 80 },
    { title: t('results.file'), dataIndex: 'file_name', ellipsis: true },
    { title: t('results.rows'), dataIndex: 'row_count', width: 80, align: 'right' as const },
    { title: t('results.node'), dataIndex: 'node_code', width: 110, render: (v: string) => <span className="mono">{v}</span> },
    { title: t('results.submittedAt'), dataIndex: 'submitted_at', width: 150, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 200,
      render: (_: unknown, b: Batch) => (
        <>
          {t(`results.status.${b.status}`, { defaultValue: b.status })}
          {b.decision_reason && (
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {b.decision_reason}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_: unknown, b: Batch) => (
        <Space size="middle">
          <Typography.Link onClick={() => setViewing(b.id)} data-testid={`view-batch-${b.id}`}>
            {t('common.view')}
          </Typography.Link>
          {canDecide && b.status === 'pending' && b.submitted_by !== me?.id && (
            <>
              <Popconfirm title={t('results.confirmApprove', { rows: b.row_count })} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => decide(b, 'approve').catch((e) => message.error(errorText(t, e)))}>
                <Typography.Link data-testid={`confirm-batch-${b.id}`}>{t('results.confirm')}</Typography.Link>
              </Popconfirm>
              <Typography.Link type="danger" onClick={() => setRejecting(b)} data-testid={`reject-batch-${b.id}`}>
                {t('results.reject')}
              </Typography.Link>
            </>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Page title={t('results.title')} subTitle={program.data.name} trail={programTrail(t, programId, program.data.name)} extra={<Button onClick={() => navigate(`/programs/${programId}`)}>{t('common.back')}</Button>}>
      <Space direction="vertical" size="middle" style={{ display: 'flex' }}>
        <Card title={t('results.sheet')}>
          <Typography.Paragraph type="secondary">{t('results.sheetHelp')}</Typography.Paragraph>
          <ExportButtons
            path={`/api/programs/${programId}/results/sheet`}
            fileBase={`results-${programId}`}
            params={() => ({})}
            labels={{ xlsx: t('results.sheetXlsx'), csv: t('results.sheetCsv') }}
            testId="results-sheet"
          />
        </Card>
        <Card title={t('results.upload')}>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => {
              setFiles(fileList.slice(-1));
              setChecked(undefined);
            }}
            data-testid="results-file"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined aria-hidden />
            </p>
            <p>{t('results.dropHint')}</p>
          </Upload.Dragger>
          <Space style={{ marginTop: 12 }}>
            <Button disabled={!files.length} loading={busy === 'check'} onClick={() => void send(true)} data-testid="results-check">
              {t('results.check')}
            </Button>
            <Button type="primary" disabled={!clean} loading={busy === 'submit'} onClick={() => void send(false)} data-testid="results-submit">
              {t('results.submit')}
            </Button>
          </Space>
          {report && (
            <div style={{ marginTop: 16 }} data-testid="results-report">
              {clean ? (
                <Alert type="success" showIcon message={t('results.allValid', { rows: report.total_rows })} />
              ) : (
                <>
                  <Alert type="error" showIcon message={t('results.hasErrors', { rows: report.total_rows, bad: report.total_rows - report.valid_rows })} style={{ marginBottom: 12 }} />
                  <Table<RowError>
                    rowKey={(e) => `${e.line}-${e.column}-${e.message}`}
                    size="small"
                    dataSource={report.errors}
                    pagination={report.errors.length > 20 ? { pageSize: 20 } : false}
                    columns={[
                      { title: t('import.line'), dataIndex: 'line', width: 70 },
                      { title: t('import.column'), dataIndex: 'column', width: 200 },
                      { title: t('import.message'), dataIndex: 'message' },
                    ]}
                  />
                </>
              )}
            </div>
          )}
        </Card>
        <Card title={t('results.batches')}>
          {batches.error ? (
            <ErrorState error={batches.error} onRetry={() => batches.refetch()} />
          ) : (
            <Table<Batch>
              rowKey="id"
              size="small"
              loading={batches.isPending}
              dataSource={batches.data?.items}
              columns={batchColumns}
              pagination={{ current: page, pageSize: 10, total: batches.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
              scroll={{ x: 900 }}
              locale={{ emptyText: <Typography.Text type="secondary">{t('results.empty')}</Typography.Text> }}
              data-testid="result-batches"
            />
          )}
        </Card>
      </Space>
      <Modal open={viewing !== undefined} title={t('results.batchTitle', { id: viewing })} footer={null} width={820} onCancel={() => setViewing(undefined)} destroyOnHidden>
        {detail.isPending ? (
          <Loading />
        ) : detail.error ? (
          <ErrorState error={detail.error} />
        ) : (
          <Table<Row>
            rowKey="enrollment_id"
            size="small"
            dataSource={detail.data?.rows ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('results.enrollment'), dataIndex: 'enrollment_id', width: 90 },
              { title: t('results.completed'), dataIndex: 'completed', width: 90, render: (v: boolean) => t(v ? 'results.pass' : 'results.fail') },
              { title: t('results.note'), dataIndex: 'note', ellipsis: true },
              { title: t('results.grade'), dataIndex: 'grade', width: 80 },
              { title: t('hours.hours'), dataIndex: 'hours', width: 70, align: 'right' },
              { title: t('hours.category'), dataIndex: 'category', width: 100, render: (c?: string) => (c ? t(`hourCategory.${c}`) : '—') },
            ]}
          />
        )}
      </Modal>
      <ReasonModal
        open={!!rejecting}
        title={t('results.rejectTitle', { id: rejecting?.id })}
        okText={t('results.reject')}
        onCancel={() => setRejecting(undefined)}
        onSubmit={async (reason) => {
          if (!rejecting) return;
          await decide(rejecting, 'reject', reason);
          setRejecting(undefined);
        }}
      />
    </Page>
  );
}
