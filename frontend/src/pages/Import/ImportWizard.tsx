import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Progress, Result, Space, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { downloadFile, uploadWithProgress } from '../../api/client';
import type { ImportKind, ImportReport, RowError } from '../../api/types';
import { errorText } from '../../components/errors';

type Stage = 'select' | 'checking' | 'preview' | 'committing' | 'done';
/** A directory import's report, or another import's without `updated` (e.g. the question bank's). */
type Report = Omit<ImportReport, 'updated' | 'valid_rows'> & { updated?: number; valid_rows?: number; existing?: number };

/** Rows without errors (a catalogue import reports created + existing instead of valid_rows). */
const validRows = (r: Report) => r.valid_rows ?? r.created + (r.existing ?? 0);

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Upload → dry-run preview of row errors → confirm → result. The server writes all rows or none.
 * `endpoint` imports elsewhere than `/api/import/{kind}` (then without the template and error-report downloads,
 * which only the directory imports have).
 */
export default function ImportWizard({
  kind,
  onFinished,
  endpoint,
  query,
}: {
  kind: ImportKind | 'questions';
  onFinished?: () => void;
  endpoint?: string;
  query?: Record<string, unknown>;
}) {
  const directory = !endpoint;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [stage, setStage] = useState<Stage>('select');
  const [progress, setProgress] = useState(0);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    setProgress(0);
    setStage(dryRun ? 'checking' : 'committing');
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      const r = await uploadWithProgress<Report>(endpoint ?? `/api/import/${kind}`, { ...query, dry_run: dryRun }, form, setProgress);
      setReport(r);
      setStage(!dryRun && r.committed ? 'done' : 'preview');
    } catch (e) {
      setError(errorText(t, e));
      setStage(dryRun ? 'select' : 'preview');
    }
  };

  const errorReport = async () => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      const blob = await uploadWithProgress<Blob>(`/api/import/${kind}/error-report`, {}, form, () => undefined, 'blob');
      saveBlob(blob, `${kind}-errors.xlsx`);
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const template = async (format: 'xlsx' | 'csv') => {
    try {
      await downloadFile(`/api/import/${kind}/template`, { format }, `${kind}-template.${format}`);
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const reset = () => {
    setFile(null);
    setReport(null);
    setError(null);
    setStage('select');
  };

  const current = { select: 0, checking: 0, preview: 1, committing: 2, done: 3 }[stage];
  const rowErrors: RowError[] = report?.errors ?? [];
  const hasErrors = rowErrors.length > 0;

  return (
    <Card>
      <Steps
        current={current}
        style={{ marginBottom: 24 }}
        items={[{ title: t('import.stepUpload') }, { title: t('import.stepPreview') }, { title: t('import.stepCommit') }, { title: t('import.stepResult') }]}
      />
      {error && <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 16 }} data-testid="import-error" />}

      {(stage === 'select' || stage === 'checking') && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {directory && (
            <Flex gap={8} align="center" wrap>
              <Typography.Text>{t('import.templateHint')}</Typography.Text>
              <Button icon={<DownloadOutlined />} onClick={() => template('xlsx')}>
                {t('import.templateXlsx')}
              </Button>
              <Button icon={<DownloadOutlined />} onClick={() => template('csv')}>
                {t('import.templateCsv')}
              </Button>
            </Flex>
          )}
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            multiple={false}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
            beforeUpload={(f) => {
              setFile(f);
              setError(null);
              return false;
            }}
            onRemove={() => setFile(null)}
            disabled={stage === 'checking'}
            data-testid="import-dragger"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('import.dropHint')}</p>
            <p className="ant-upload-hint">{t('import.formats')}</p>
          </Upload.Dragger>
          {stage === 'checking' && <Progress percent={progress} status="active" aria-label={t('import.uploading')} />}
          <Button type="primary" disabled={!file} loading={stage === 'checking'} onClick={() => send(true)} data-testid="import-check">
            {t('import.check')}
          </Button>
        </Space>
      )}

      {(stage === 'preview' || stage === 'committing') && report && (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="import-preview">
          <Flex gap={48} wrap>
            <Statistic title={t('import.totalRows')} value={report.total_rows} />
            <Statistic title={t('import.validRows')} value={validRows(report)} />
            <Statistic title={t('import.errorRows')} value={rowErrors.length} valueStyle={hasErrors ? { color: '#cf1322' } : undefined} />
          </Flex>
          {hasErrors ? (
            <>
              <Alert type="error" showIcon message={t('import.hasErrors', { count: rowErrors.length })} description={t('import.nothingWritten')} />
              <Table<RowError>
                rowKey={(r) => `${r.line}-${r.column}-${r.message}`}
                size="small"
                dataSource={rowErrors}
                pagination={rowErrors.length > 10 ? { pageSize: 10 } : false}
                columns={[
                  { title: t('import.line'), dataIndex: 'line', width: 80 },
                  { title: t('import.column'), dataIndex: 'column', width: 160 },
                  { title: t('import.message'), dataIndex: 'message' },
                ]}
                data-testid="import-errors"
              />
              <Space>
                {directory && (
                  <Button onClick={errorReport} icon={<DownloadOutlined />}>
                    {t('import.errorReport')}
                  </Button>
                )}
                <Button type="primary" onClick={reset}>
                  {t('import.reselect')}
                </Button>
              </Space>
            </>
          ) : (
            <>
              <Alert type="success" showIcon message={t('import.allValid', { count: validRows(report) })} />
              {stage === 'committing' && <Progress percent={progress} status="active" aria-label={t('import.committing')} />}
              <Space>
                <Button onClick={reset} disabled={stage === 'committing'}>
                  {t('import.reselect')}
                </Button>
                <Button type="primary" loading={stage === 'committing'} onClick={() => send(false)} data-testid="import-commit">
                  {t('import.confirm', { count: validRows(report) })}
                </Button>
              </Space>
            </>
          )}
        </Space>
      )}

      {stage === 'done' && report && (
        <div data-testid="import-done">
        <Result
          status="success"
          title={t('import.doneTitle')}
          subTitle={report.updated === undefined ? t('import.doneCreated', { created: report.created }) : t('import.doneSummary', { created: report.created, updated: report.updated })}
          extra={[
            <Button key="again" onClick={reset}>
              {t('import.again')}
            </Button>,
            <Button key="back" type="primary" onClick={onFinished}>
              {t('import.backToList')}
            </Button>,
          ]}
        />
        </div>
      )}
    </Card>
  );
}
