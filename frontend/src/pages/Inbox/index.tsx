import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, Flex, Switch, Tag, Typography } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { InboxMessageView, MailChoice } from '../../api/types';
import ListTable from '../../components/ListTable';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';

/** Which kinds of notice also come by mail; security notices always do. */
function MailPreferences() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [choices, setChoices] = useState<MailChoice[]>([]);

  useEffect(() => {
    unwrap(api.GET('/api/inbox/preferences'))
      .then((r) => setChoices(r.choices))
      .catch((e: unknown) => message.error(errorText(t, e)));
  }, [message, t]);

  const set = async (kind: MailChoice['kind'], by_mail: boolean) => {
    try {
      const r = await unwrap(api.PUT('/api/inbox/preferences', { body: { choices: [{ kind, by_mail }] } }));
      setChoices(r.choices);
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  return (
    <Card title={t('inbox.preferences')} size="small" data-testid="mail-preferences">
      <Typography.Paragraph type="secondary">{t('inbox.preferencesHint')}</Typography.Paragraph>
      <Flex vertical gap={8}>
        {choices.map((c) => (
          <Flex key={c.kind} gap={8} align="center">
            <Switch
              checked={c.by_mail}
              disabled={c.mandatory}
              onChange={(on) => set(c.kind, on)}
              aria-label={t(`inbox.kinds.${c.kind}`)}
              data-testid={`mail-${c.kind}`}
            />
            <span>{t(`inbox.kinds.${c.kind}`)}</span>
            {c.mandatory && <Typography.Text type="secondary">{t('inbox.mandatory')}</Typography.Text>}
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}

/** 站内信: my messages, newest first, with the unread ones marked; reading one marks it read. */
export default function InboxPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);

  const markRead = async (id: number) => {
    try {
      await unwrap(api.POST('/api/inbox/{id}/read', { params: { path: { id } } }));
      await actionRef.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const markAll = async () => {
    try {
      const r = await unwrap(api.POST('/api/inbox/read-all'));
      message.success(t('inbox.markedAll', { count: r.marked }));
      await actionRef.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const columns: ProColumns<InboxMessageView>[] = [
    {
      title: t('inbox.unreadOnly'),
      dataIndex: 'unread',
      valueType: 'switch',
      hideInTable: true,
    },
    {
      title: t('inbox.kind'),
      dataIndex: 'kind',
      search: false,
      width: 120,
      render: (_, r) => <Tag bordered={false}>{t(`inbox.kinds.${r.kind}`)}</Tag>,
    },
    {
      title: t('inbox.title'),
      dataIndex: 'title',
      search: false,
      render: (_, r) => (
        <Flex vertical>
          <Typography.Text strong={!r.read_at}>{r.title}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} ellipsis={{ rows: 3, expandable: true }}>
            {r.body}
          </Typography.Paragraph>
          {r.link && (
            <Link to={r.link} onClick={() => void markRead(r.id)}>
              {t('inbox.open')}
            </Link>
          )}
        </Flex>
      ),
    },
    { title: t('inbox.at'), dataIndex: 'created_at', search: false, width: 150, render: (_, r) => dayjs(r.created_at).format('YYYY-MM-DD HH:mm') },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 110,
      render: (_, r) =>
        r.read_at ? (
          <Typography.Text type="secondary">{t('inbox.read')}</Typography.Text>
        ) : (
          <Typography.Link onClick={() => markRead(r.id)} data-testid={`read-${r.id}`}>
            {t('inbox.markRead')}
          </Typography.Link>
        ),
    },
  ];

  return (
    <Page title={t('menu.inbox')}>
      <Flex vertical gap={16}>
        <ListTable<InboxMessageView>
          rowKey="id"
          actionRef={actionRef}
          columns={columns}
          search={{ labelWidth: 'auto', defaultCollapsed: false }}
          toolBarRender={() => [
            <Button key="all" onClick={markAll} data-testid="read-all">
              {t('inbox.markAll')}
            </Button>,
          ]}
          request={async (p) => {
            const query = { page: p.current ?? 1, page_size: p.pageSize ?? 20, unread: p.unread === true ? true : undefined };
            const data = await unwrap(api.GET('/api/inbox', { params: { query } }));
            return { data: data.items, total: data.total, success: true };
          }}
          pagination={{ defaultPageSize: 20, showSizeChanger: true }}
          options={{ density: false, setting: false, reload: true }}
          headerTitle={t('inbox.heading')}
          locale={{ emptyText: <Typography.Text type="secondary">{t('inbox.empty')}</Typography.Text> }}
          data-testid="inbox"
        />
        <MailPreferences />
      </Flex>
    </Page>
  );
}
