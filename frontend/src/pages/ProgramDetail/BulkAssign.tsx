import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Form, Modal, Select, Space, Table, Tabs, Typography, Upload, type UploadFile } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, unwrap, uploadWithProgress } from '../../api/client';
import type { Schemas } from '../../api/client';
import { applyFieldErrors, errorText } from '../../components/errors';
import { SUBJECTS, stageOptions } from '../../components/reference';
import ScopePicker from '../../components/ScopePicker';
import { bulkState, fileState, filterBody, type BulkReport, type FileReport, type FilterValues, type ReportState } from './bulk';

type BulkError = Schemas['BulkAssignError'];
type RowError = Schemas['ImportRowError'];

function StateAlert({ state, text }: { state: ReportState; text: string }) {
  const type = state === 'ready' || state === 'committed' ? 'success' : state === 'empty' ? 'info' : 'error';
  return <Alert type={type} showIcon message={text} style={{ marginBottom: 12 }} />;
}

/**
 * 批量指派: assign many teachers at once, by filter (node + 学段 / 学科, `assignMany`) or from a CSV/XLSX file of
 * 身份证号 (`assignFromFile`). Always a check first (dry run); the confirm writes every assignment or none.
 */
export default function BulkAssign({
  programId,
  open,
  onClose,
  onCommitted,
  teacherIds,
}: {
  programId: number;
  open: boolean;
  onClose: () => void;
  onCommitted: () => void;
  /** Teachers chosen in a list: only they are checked and assigned (no filter, no file). */
  teacherIds?: number[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FilterValues>();
  const [tab, setTab] = useState<'filter' | 'file'>('filter');
  const [busy, setBusy] = useState<'check' | 'commit' | null>(null);
  const [checked, setChecked] = useState<{ values: FilterValues; report: BulkReport } | undefined>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [fileReport, setFileReport] = useState<FileReport | undefined>();

  useEffect(() => {
    if (open) {
      form.resetFields();
      setTab('filter');
      setChecked(undefined);
      setFiles([]);
      setFileReport(undefined);
    }
  }, [open, form]);

  const runFilter = async (dryRun: boolean) => {
    const values = teacherIds ? { node: '' } : dryRun ? await form.validateFields() : checked?.values;
    if (!values) return;
    setBusy(dryRun ? 'check' : 'commit');
    try {
      const body = teacherIds ? { teacher_ids: teacherIds, dry_run: dryRun } : filterBody(values, dryRun);
      const report = await unwrap(api.POST('/api/programs/{id}/enrollments/bulk', { params: { path: { id: programId } }, body }));
      setChecked({ values, report });
      if (report.committed) {
        message.success(t('programs.bulk.assigned', { count: report.assignable }));
        onCommitted();
      }
    } catch (e) {
      if (!applyFieldErrors(form, e, ['node', 'stage', 'subject'])) message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };

  const runFile = async (dryRun: boolean) => {
    const file = files[0]?.originFileObj;
    if (!file) return;
    setBusy(dryRun ? 'check' : 'commit');
    try {
      const body = new FormData();
      body.append('file', file);
      const report = await uploadWithProgress<FileReport>(`/api/programs/${programId}/enrollments/import`, { dry_run: dryRun }, body, () => undefined);
      setFileReport(report);
      if (report.committed) {
        message.success(t('programs.bulk.assigned', { count: report.created }));
        onCommitted();
      }
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };

  const filterState = checked && bulkState(checked.report);
  const filterAlert = (s: ReportState, r: BulkReport) =>
    s === 'committed'
      ? t('programs.bulk.committed', { count: r.assignable })
      : s === 'ready'
        ? t('programs.bulk.ready', { count: r.assignable })
        : s === 'empty'
          ? t('programs.bulk.none')
          : t('programs.bulk.blocked', { bad: r.total - r.assignable });

  const filterTab = (
    <>
      {teacherIds ? (
        <Alert type="info" message={t('bulk.selected', { count: teacherIds.length })} style={{ marginBottom: 12 }} />
      ) : (
      <Form form={form} layout="vertical" preserve={false} onValuesChange={() => setChecked(undefined)} disabled={checked?.report.committed}>
        <Form.Item
          label={t('programs.bulk.node')}
          name="node"
          extra={t('programs.bulk.nodeHelp')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <ScopePicker data-testid="bulk-node" />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item label={t('programs.bulk.stage')} name="stage">
            <Select allowClear options={stageOptions(t)} style={{ width: 180 }} placeholder={t('programs.bulk.any')} />
          </Form.Item>
          <Form.Item label={t('programs.bulk.subject')} name="subject">
            <Select allowClear options={SUBJECTS.map((s) => ({ value: s, label: t(`subject.${s}`, { defaultValue: s }) }))} style={{ width: 180 }} placeholder={t('programs.bulk.any')} />
          </Form.Item>
        </Space>
      </Form>
      )}
      <Space>
        <Button loading={busy === 'check'} disabled={!!busy || checked?.report.committed} onClick={() => void runFilter(true)} data-testid="bulk-check">
          {t('programs.bulk.check')}
        </Button>
        <Button type="primary" loading={busy === 'commit'} disabled={filterState !== 'ready' || !!busy} onClick={() => void runFilter(false)} data-testid="bulk-commit">
          {t('programs.bulk.confirm', { count: checked?.report.assignable ?? 0 })}
        </Button>
      </Space>
      {checked && filterState && (
        <div style={{ marginTop: 16 }} data-testid="bulk-report">
          <Descriptions size="small" column={2} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('programs.bulk.total')}>{checked.report.total}</Descriptions.Item>
            <Descriptions.Item label={t('programs.bulk.assignable')}>{checked.report.assignable}</Descriptions.Item>
          </Descriptions>
          <StateAlert state={filterState} text={filterAlert(filterState, checked.report)} />
          {checked.report.errors.length > 0 && (
            <Table<BulkError>
              rowKey={(e) => `${e.teacher_id}-${e.message}`}
              size="small"
              dataSource={checked.report.errors}
              pagination={checked.report.errors.length > 10 ? { pageSize: 10 } : false}
              columns={[
                { title: t('programs.teacher'), dataIndex: 'teacher_name', width: 140 },
                { title: t('import.message'), dataIndex: 'message' },
              ]}
              data-testid="bulk-errors"
            />
          )}
        </div>
      )}
    </>
  );

  const fState = fileReport && fileState(fileReport);
  const fileAlert = (s: ReportState, r: FileReport) =>
    s === 'committed'
      ? t('programs.bulk.committed', { count: r.created })
      : s === 'ready'
        ? t('programs.bulk.fileReady', { count: r.total_rows })
        : s === 'empty'
          ? t('programs.bulk.fileEmpty')
          : t('programs.bulk.fileBlocked', { count: r.errors.length, rows: r.total_rows });

  const fileTab = (
    <>
      <Typography.Paragraph type="secondary">{t('programs.bulk.fileHelp')}</Typography.Paragraph>
      <Upload.Dragger
        accept=".xlsx,.csv"
        maxCount={1}
        fileList={files}
        disabled={fileReport?.committed}
        beforeUpload={() => false}
        onChange={({ fileList }) => {
          setFiles(fileList.slice(-1));
          setFileReport(undefined);
        }}
        data-testid="bulk-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p>{t('import.dropHint')}</p>
        <p>{t('import.formats')}</p>
      </Upload.Dragger>
      <Space style={{ marginTop: 12 }}>
        <Button loading={busy === 'check'} disabled={!files.length || !!busy || fileReport?.committed} onClick={() => void runFile(true)} data-testid="bulk-file-check">
          {t('programs.bulk.check')}
        </Button>
        <Button type="primary" loading={busy === 'commit'} disabled={fState !== 'ready' || !!busy} onClick={() => void runFile(false)} data-testid="bulk-file-commit">
          {t('programs.bulk.confirm', { count: fileReport?.total_rows ?? 0 })}
        </Button>
      </Space>
      {fileReport && fState && (
        <div style={{ marginTop: 16 }} data-testid="bulk-file-report">
          <StateAlert state={fState} text={fileAlert(fState, fileReport)} />
          {fileReport.errors.length > 0 && (
            <Table<RowError>
              rowKey={(e) => `${e.line}-${e.column}-${e.message}`}
              size="small"
              dataSource={fileReport.errors}
              pagination={fileReport.errors.length > 10 ? { pageSize: 10 } : false}
              columns={[
                { title: t('import.line'), dataIndex: 'line', width: 70 },
                { title: t('import.column'), dataIndex: 'column', width: 140 },
                { title: t('import.message'), dataIndex: 'message' },
              ]}
              data-testid="bulk-file-errors"
            />
          )}
        </div>
      )}
    </>
  );

  return (
    <Modal open={open} title={t('programs.bulk.title')} width={720} footer={<Button onClick={onClose}>{t('programs.bulk.close')}</Button>} onCancel={onClose} destroyOnHidden>
      <Alert type="info" showIcon message={t('programs.bulk.allOrNothing')} style={{ marginBottom: 12 }} />
      {teacherIds ? (
        filterTab
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as 'filter' | 'file')}
          items={[
            { key: 'filter', label: t('programs.bulk.byFilter'), children: filterTab },
            { key: 'file', label: t('programs.bulk.fromFile'), children: fileTab },
          ]}
        />
      )}
    </Modal>
  );
}
