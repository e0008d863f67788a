import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import dayjs from 'dayjs';
import Page from '../../components/Page';
import { Loading, QueryError } from '../../components/States';
import { applyFieldErrors, errorText } from '../../components/errors';
import { type PublicityEntry, type PublicityRound } from '../Lessons/api';

/** 公示: rounds in their public notice with the recommended lessons; anyone signed in may raise an objection. */
export default function LessonPublicityPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text: string }>();
  const [target, setTarget] = useState<{ round: PublicityRound; entry: PublicityEntry } | undefined>();
  const [busy, setBusy] = useState(false);
  const q = useQuery({
    queryKey: ['lesson-publicity'],
    queryFn: async () => {
      const r = await unwrap(api.GET('/api/lesson-publicity', { params: { query: { page_size: 100 } } }));
      return r.items;
    },
  });
  const roundId = (r: PublicityRound) => r.round_id;
  const entryId = (e: PublicityEntry) => e.entry_id;

  const send = async () => {
    const v = await form.validateFields();
    if (!target) return;
    setBusy(true);
    try {
      await unwrap(api.POST('/api/lesson-rounds/{id}/objections', { params: { path: { id: roundId(target.round) } }, body: { entry_id: entryId(target.entry), text: v.text.trim() } }));
      message.success(t('lessonPublicity.sent'));
      setTarget(undefined);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['text'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  if (q.isLoading) return <Loading />;
  if (q.error) return <QueryError query={q} />;
  const rounds = q.data ?? [];
  return (
    <Page title={t('lessons.menu.publicity')} subTitle={t('lessonPublicity.help')}>
      {rounds.length === 0 && <Empty description={t('lessonPublicity.none')} />}
      <Space direction="vertical" style={{ width: '100%' }} size={16}>
        {rounds.map((r) => (
          <Card
            key={roundId(r)}
            title={r.round_name}
            extra={
              <Typography.Text type="secondary">
                {t(`lessons.level.${r.level}`)} · {r.region_name}
                {r.publicity_ends_at && ` · ${t('lessonPublicity.until', { date: dayjs(r.publicity_ends_at).format('YYYY-MM-DD HH:mm') })}`}
              </Typography.Text>
            }
            data-testid={`publicity-${roundId(r)}`}
          >
            <Table<PublicityEntry>
              rowKey={(e) => entryId(e)}
              size="small"
              pagination={false}
              dataSource={r.lessons}
              columns={[
                { title: t('lessons.rank'), dataIndex: 'rank', width: 60, render: (v?: number | null) => v ?? '—' },
                { title: t('lessons.titleField'), dataIndex: 'title' },
                { title: t('lessonCheck.teacher'), dataIndex: 'teacher_name', render: (v?: string) => v ?? '—' },
                { title: t('lessonCheck.school'), dataIndex: 'school_name', render: (v?: string) => v ?? '—' },
                { title: t('lessons.catalogue.node'), render: (_: unknown, e) => [e.stage, e.subject, e.grade, e.node].filter(Boolean).join(' / ') || '—' },
                { title: t('lessons.score'), dataIndex: 'score', width: 80, render: (v?: number | null) => (typeof v === 'number' ? v.toFixed(2) : '—') },
                {
                  title: t('common.actions'),
                  width: 100,
                  render: (_: unknown, e) => (
                    <Button
                      size="small"
                      onClick={() => {
                        form.resetFields();
                        setTarget({ round: r, entry: e });
                      }}
                      data-testid={`object-${entryId(e)}`}
                    >
                      {t('lessonPublicity.raise')}
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
        ))}
      </Space>
      <Modal
        open={!!target}
        title={t('lessonPublicity.raiseTitle', { title: target?.entry.title ?? '' })}
        okText={t('lessonPublicity.send')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={send}
        onCancel={() => setTarget(undefined)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="text" label={t('lessonPublicity.objection')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="objection-text" />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
