import { App, Button, Popconfirm, Table, Tag } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import Page from '../../components/Page';
import { profileTrail } from '../../components/trails';
import { ErrorState } from '../../components/States';
import { errorText } from '../../components/errors';

type Session = Schemas['SignInSessionView'];

const when = (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm');

/** The sessions table, shared by 我的会话 and a security administrator's view of an account. */
export function SessionTable({ sessions, loading, onEnd }: { sessions: Session[]; loading: boolean; onEnd: (s: Session) => void }) {
  const { t } = useTranslation();
  return (
    <Table<Session>
      rowKey="id"
      loading={loading}
      dataSource={sessions}
      pagination={false}
      data-testid="sessions"
      columns={[
        {
          title: t('sessions.device'),
          dataIndex: 'device',
          render: (_, s) => (
            <span title={s.user_agent}>
              {s.device} {s.current && <Tag color="blue">{t('sessions.current')}</Tag>}
            </span>
          ),
        },
        { title: t('sessions.ip'), dataIndex: 'ip', render: (_, s) => <span className="mono">{s.ip}</span> },
        { title: t('sessions.signedInAt'), dataIndex: 'signed_in_at', render: (_, s) => when(s.signed_in_at) },
        { title: t('sessions.lastActiveAt'), dataIndex: 'last_active_at', render: (_, s) => when(s.last_active_at) },
        {
          title: '',
          key: 'end',
          render: (_, s) =>
            !s.current && (
              <Popconfirm title={t('sessions.endConfirm')} onConfirm={() => onEnd(s)}>
                <Button size="small" danger>
                  {t('sessions.end')}
                </Button>
              </Popconfirm>
            ),
        },
      ]}
    />
  );
}

/** 我的会话: where I am signed in; end one, or all but this one. */
export default function SessionsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: ['my-sessions'], queryFn: () => unwrap(api.GET('/api/auth/sessions')) });
  const reload = () => queryClient.invalidateQueries({ queryKey: ['my-sessions'] });

  const end = async (s: Session) => {
    try {
      await unwrap(api.POST('/api/auth/sessions/{id}/end', { params: { path: { id: s.id } } }));
      await reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  const endOthers = async () => {
    try {
      const r = await unwrap(api.POST('/api/auth/sessions/end-others'));
      message.success(t('sessions.ended', { count: r.ended }));
      await reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  return (
    <Page
      title={t('sessions.title')}
      trail={profileTrail(t)}
      extra={
        <Popconfirm title={t('sessions.endOthersConfirm')} onConfirm={endOthers}>
          <Button danger>{t('sessions.endOthers')}</Button>
        </Popconfirm>
      }
    >
      {sessions.error ? (
        <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} />
      ) : (
        <SessionTable sessions={sessions.data ?? []} loading={sessions.isPending} onEnd={end} />
      )}
    </Page>
  );
}
