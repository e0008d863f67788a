import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Space, Switch, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, downloadFile, unwrap, type Schemas } from '../../api/client';
import Page from '../../components/Page';
import { profileTrail } from '../../components/trails';
import { errorText } from '../../components/errors';
import { ErrorState, Loading } from '../../components/States';
import { accessTally, actorLabel } from './history';

type PersonalData = Schemas['PersonalData'];
type AccessEntry = Schemas['AccessEntry'];

const when = (v?: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');
const day = (v?: string | null) => (v ? dayjs(v).format('YYYY-MM-DD') : '—');

/** 我的个人信息: everything Yanxiu holds about me, who accessed my identity data, and a JSON download. */
export default function PersonalDataPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [full, setFull] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const data = useQuery({
    queryKey: ['personal-data', full],
    queryFn: () => unwrap(api.GET('/api/me/personal-data', { params: { query: { full } } })),
  });

  const download = async () => {
    setDownloading(true);
    try {
      await downloadFile('/api/me/personal-data/download', { full }, 'personal-data.json');
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Page
      title={t('personalData.title')}
      trail={profileTrail(t)}
      subTitle={t('personalData.subTitle')}
      extra={
        <Button type="primary" icon={<DownloadOutlined />} loading={downloading} onClick={download}>
          {t('personalData.download')}
        </Button>
      }
    >
      {data.isPending ? (
        <Loading />
      ) : data.error ? (
        <ErrorState error={data.error} onRetry={() => data.refetch()} />
      ) : (
        <Content data={data.data} full={full} onFull={setFull} />
      )}
    </Page>
  );
}

function Content({ data, full, onFull }: { data: PersonalData; full: boolean; onFull: (v: boolean) => void }) {
  const { t } = useTranslation();
  const teacher = data.teacher;
  const roleName = (r: string) => t(`roles.${r}`, { defaultValue: r });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('profile.account')}>
        <Descriptions column={{ xs: 1, md: 2 }} bordered>
          <Descriptions.Item label={t('accounts.username')}>
            <span className="mono">{data.account.username}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('accounts.displayName')}>{data.account.display_name}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.email')}>{data.account.email || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.role')}>{actorLabel(data.account.roles, roleName, '—')}</Descriptions.Item>
          <Descriptions.Item label={t('personalData.createdAt')}>{when(data.account.created_at)}</Descriptions.Item>
        </Descriptions>
      </Card>
      {teacher && (
        <Card
          title={t('profile.teacherRecord')}
          extra={
            <Space>
              <label htmlFor="personal-full">{t('personalData.showFull')}</label>
              <Switch id="personal-full" checked={full} onChange={onFull} />
            </Space>
          }
        >
          <Descriptions column={{ xs: 1, md: 2 }} bordered>
            <Descriptions.Item label={t('teachers.name')}>{teacher.name}</Descriptions.Item>
            <Descriptions.Item label={t('teachers.idCard')}>
              <span className="mono" data-testid="personal-id-card">{teacher.id_card}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('teachers.phone')}>
              <span className="mono">{teacher.phone || '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('accounts.email')}>{teacher.email || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('teachers.birthDate')}>{teacher.birth_date}</Descriptions.Item>
            <Descriptions.Item label={t('teachers.school')}>{teacher.school_name}</Descriptions.Item>
            <Descriptions.Item label={t('personalData.stageSubject')}>
              {t(`stage.${teacher.stage}`)} · {teacher.subject}
            </Descriptions.Item>
            <Descriptions.Item label={t('teachers.teacherNumber')}>{teacher.teacher_number || '—'}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      {teacher && <AccessHistory entries={data.access_history} note={data.access_history_note} roleName={roleName} />}
      {teacher && <Training data={data} />}
    </Space>
  );
}

function AccessHistory({ entries, note, roleName }: { entries: AccessEntry[]; note: string; roleName: (r: string) => string }) {
  const { t } = useTranslation();
  const tally = accessTally(entries);
  return (
    <Card title={t('personalData.history')}>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Alert type="info" showIcon message={t('personalData.historySummary', tally)} description={note} />
        <Table<AccessEntry>
          rowKey={(e) => `${e.at}-${e.action}`}
          size="small"
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={entries}
          // Secondary text, not antd's placeholder grey: that grey fails the contrast check.
          locale={{ emptyText: <Typography.Text type="secondary">{t('personalData.noHistory')}</Typography.Text> }}
          columns={[
            { title: t('personalData.at'), dataIndex: 'at', width: 160, render: (v: string) => when(v) },
            {
              title: t('personalData.kind'),
              dataIndex: 'kind',
              width: 90,
              render: (k: AccessEntry['kind']) => <Tag color={k === 'reveal' ? 'red' : 'blue'}>{t(`personalData.kinds.${k}`)}</Tag>,
            },
            { title: t('personalData.actor'), dataIndex: 'actor_roles', render: (_: unknown, e) => actorLabel(e.actor_roles, roleName, t('personalData.unknownActor')) },
            { title: t('personalData.meaning'), dataIndex: 'meaning' },
            { title: t('personalData.rows'), dataIndex: 'rows', width: 80, render: (v?: number) => v ?? '—' },
          ]}
        />
      </Space>
    </Card>
  );
}

function Training({ data }: { data: PersonalData }) {
  const { t } = useTranslation();
  const c = data.counts;
  return (
    <Card title={t('personalData.training')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('personalData.countsLine', { enrolments: c.enrolments, hours: c.hour_entries, certificates: c.certificates, lessons: c.lessons, evidence: c.competency_evidence, files: c.files })}
        </Typography.Text>
        <Table
          rowKey="program_id"
          size="small"
          title={() => t('personalData.enrolments')}
          pagination={false}
          dataSource={data.enrolments}
          columns={[
            { title: t('certificates.program'), dataIndex: 'program_name' },
            { title: t('personalData.year'), dataIndex: 'year', width: 80 },
            { title: t('personalData.reviewStatus'), dataIndex: 'review_status', width: 110, render: (v: string) => t(`reviewStatus.${v}`, { defaultValue: v }) },
            { title: t('personalData.trainingStatus'), dataIndex: 'training_status', width: 110, render: (v: string) => t(`trainingStatus.${v}`, { defaultValue: v }) },
            { title: t('personalData.countedHours'), dataIndex: 'counted_hours', width: 100 },
          ]}
        />
        <Table
          rowKey="number"
          size="small"
          title={() => t('menu.certificates')}
          pagination={false}
          dataSource={data.certificates}
          columns={[
            { title: t('certificates.number'), dataIndex: 'number', render: (v: string) => <span className="mono">{v}</span> },
            { title: t('certificates.program'), dataIndex: 'program_name' },
            { title: t('certificates.issuedAt'), dataIndex: 'issued_at', render: (v: string) => day(v) },
          ]}
        />
        <Table
          rowKey="id"
          size="small"
          title={() => t('personalData.hours')}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={data.hours}
          columns={[
            { title: t('personalData.occurredOn'), dataIndex: 'occurred_on', width: 120 },
            { title: t('personalData.category'), dataIndex: 'category', render: (v: string) => t(`hourCategory.${v}`, { defaultValue: v }) },
            { title: t('personalData.hourCount'), dataIndex: 'hours', width: 80 },
            { title: t('common.status'), dataIndex: 'status', width: 100, render: (v: string) => t(`hourStatus.${v}`, { defaultValue: v }) },
          ]}
        />
        <Table
          rowKey={(f) => `${f.name}-${f.created_at}`}
          size="small"
          title={() => t('personalData.files')}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={[...data.lessons.map((l) => ({ name: l.title, purpose: 'lesson', created_at: l.submitted_at ?? '' })), ...data.files]}
          columns={[
            { title: t('personalData.fileName'), dataIndex: 'name' },
            { title: t('personalData.purpose'), dataIndex: 'purpose', width: 140 },
            { title: t('personalData.createdAt'), dataIndex: 'created_at', width: 120, render: (v: string) => day(v) },
          ]}
        />
      </Space>
    </Card>
  );
}
