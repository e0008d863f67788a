import { useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Progress, Row, Space, Tag, Timeline, Typography, type UploadFile } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import type { FileView } from '../../api/types';
import FileUpload, { uploadedIds } from '../../components/FileUpload';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';
import { Loading, QueryError } from '../../components/States';
import { EvidenceList, GradeTag } from './Checklist';

type Card_ = Schemas['MyPointView'];

/** A teacher's 能力点 year: the plan's cards, evidence per item (text and files), the latest grade and the history. */
export default function MyEvidencePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const year = dayjs().year();
  const [open, setOpen] = useState<Card_ | undefined>();
  const [history, setHistory] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Record<string, { text?: string; files?: UploadFile<FileView>[] }>>();
  const mine = useQuery({ queryKey: ['competency', 'mine', year], queryFn: () => unwrap(api.GET('/api/my/competency', { params: { query: { year } } })) });
  const chain = useQuery({
    queryKey: ['competency', 'history', history],
    enabled: history !== undefined,
    queryFn: () => unwrap(api.GET('/api/competency/submissions/{id}/history', { params: { path: { id: history! } } })),
  });

  const submit = async () => {
    if (!open) return;
    const v = await form.validateFields();
    const items = open.point.evidence_items.map((e) => ({ key: e.key, text: (v[e.key]?.text ?? '').trim(), files: uploadedIds(v[e.key]?.files) }));
    if (open.point.evidence_items.some((e) => v[e.key]?.files?.some((f) => f.status === 'uploading'))) return;
    setBusy(true);
    try {
      await unwrap(api.POST('/api/competency/submissions', { body: { year, code: open.point.code, items: items.filter((i) => i.text || i.files.length) } }));
      message.success(t('competency.submitted'));
      setOpen(undefined);
      await qc.invalidateQueries({ queryKey: ['competency', 'mine'] });
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  if (mine.isLoading) return <Loading />;
  if (mine.error) return <QueryError query={mine} />;
  const data = mine.data;
  return (
    <Page title={t('competency.menu.mine')} subTitle={t('competency.planFor', { year })}>
      {!data?.plan ? (
        <Alert type="info" showIcon message={t('competency.noPlan')} />
      ) : (
        <>
          <Space style={{ marginBottom: 16 }}>
            <Progress type="circle" size={64} aria-label={t('competency.progress')} percent={Math.round((100 * Math.min(data.passed, data.required)) / Math.max(1, data.required))} format={() => `${data.passed}/${data.required}`} />
            <Typography.Text data-testid="my-standing">{data.met ? t('competency.met') : t('competency.notMet', { n: data.required })}</Typography.Text>
          </Space>
          <Row gutter={[16, 16]}>
            {data.cards.map((c) => {
              const latest = c.latest;
              const passed = latest?.final_grade === 'pass' || latest?.final_grade === 'excellent';
              return (
                <Col key={c.point.code} xs={24} md={12} xl={8}>
                  <Card
                    size="small"
                    title={`${c.point.code} ${c.point.name}`}
                    extra={<Tag color={c.compulsory ? 'blue' : 'default'}>{t(c.compulsory ? 'competency.compulsory' : 'competency.optional')}</Tag>}
                    data-testid={`card-${c.point.code}`}
                  >
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }}>{c.point.description}</Typography.Paragraph>
                    <Space wrap>
                      {latest ? <GradeTag grade={latest.final_grade ?? null} /> : <Tag>{t('competency.notSubmitted')}</Tag>}
                      {latest?.overridden && <Tag>{t('competency.override')}</Tag>}
                      {!passed && (
                        <Button size="small" type="primary" onClick={() => { form.resetFields(); setOpen(c); }} data-testid={`submit-${c.point.code}`}>
                          {c.submissions > 0 ? t('competency.resubmit') : t('competency.submit')}
                        </Button>
                      )}
                      {latest && (
                        <Button size="small" onClick={() => setHistory(latest.id)} data-testid={`history-${c.point.code}`}>
                          {t('competency.history', { n: c.submissions })}
                        </Button>
                      )}
                    </Space>
                    {(latest?.county_review?.comment ?? latest?.school_review?.comment) && (
                      <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
                        {t('competency.comment')}: {latest?.county_review?.comment ?? latest?.school_review?.comment}
                      </Typography.Paragraph>
                    )}
                  </Card>
                </Col>
              );
            })}
          </Row>
        </>
      )}
      <Modal open={!!open} width={720} title={open ? `${open.point.code} ${open.point.name}` : ''} onCancel={() => setOpen(undefined)} onOk={submit} confirmLoading={busy} okText={t('competency.submit')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'submit-evidence' } as never} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          {open?.point.evidence_items.map((e) => (
            <Card key={e.key} size="small" title={`${e.name}${e.required ? ` (${t('competency.required')})` : ''}`} style={{ marginBottom: 12 }}>
              <Form.Item name={[e.key, 'text']} label={t('competency.text')}>
                <Input.TextArea rows={3} maxLength={20000} data-testid={`text-${e.key}`} />
              </Form.Item>
              <Form.Item name={[e.key, 'files']} label={t('competency.files')} valuePropName="fileList" getValueFromEvent={(ev: { fileList: UploadFile[] }) => ev.fileList}>
                <FileUpload purpose="competency" testId={`upload-${e.key}`} />
              </Form.Item>
            </Card>
          ))}
        </Form>
      </Modal>
      <Modal open={history !== undefined} width={760} title={t('competency.historyTitle')} footer={null} onCancel={() => setHistory(undefined)}>
        {chain.isLoading ? (
          <Loading />
        ) : (
          <Timeline
            items={(chain.data ?? []).map((s) => ({
              color: s.final_grade === 'fail' ? 'red' : s.final_grade ? 'green' : 'gray',
              children: (
                <div data-testid="history-entry">
                  <Space>
                    <Typography.Text>{dayjs(s.submitted_at).format('YYYY-MM-DD HH:mm')}</Typography.Text>
                    <GradeTag grade={s.final_grade ?? null} />
                  </Space>
                  <EvidenceList submission={s} />
                </div>
              ),
            }))}
          />
        )}
      </Modal>
    </Page>
  );
}
