import { Card, List, Progress, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';

/** An empty list's note, in the secondary text colour (antd's own empty text fails WCAG AA contrast). */
function Empty({ text }: { text: string }) {
  return <Typography.Text type="secondary">{text}</Typography.Text>;
}

/** A teacher's programs with progress and what is missing, their next deadlines and certificates. */
export function TeacherDesk({ desk }: { desk: Schemas['TeacherDesk'] }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={16} className="home-stack">
      <Card title={t('home.teacher.programs')} className="home-card" data-testid="home-programs">
        <List
          dataSource={desk.programs}
          locale={{ emptyText: <Empty text={t('home.teacher.noPrograms')} /> }}
          renderItem={(p) => (
            <List.Item>
              <List.Item.Meta
                title={<Link to={`/programs/${p.program_id}`}>{p.program_name}</Link>}
                description={
                  <>
                    <Space wrap size={4}>
                      <Tag>{t(`reviewStatus.${p.review_status}`)}</Tag>
                      <Tag color={p.training_status === 'completed' ? 'green' : undefined}>{t(`trainingStatus.${p.training_status}`)}</Tag>
                      {p.train_until && <span>{t('home.teacher.until', { date: p.train_until })}</span>}
                    </Space>
                    <Progress
                      percent={p.required_hours > 0 ? Math.min(100, Math.round((p.counted_hours / p.required_hours) * 100)) : 0}
                      format={() => t('home.teacher.hours', { counted: p.counted_hours, required: p.required_hours })}
                      aria-label={t('home.teacher.progress', { name: p.program_name })}
                    />
                    {p.missing_hours > 0 && (
                      <Typography.Text type="secondary">
                        {t('home.teacher.missing', { hours: p.missing_hours })}
                        {p.missing_by_category.map((m) => ` · ${t(`hourCategory.${m.category}`)} ${m.hours}`).join('')}
                      </Typography.Text>
                    )}
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      <Card title={t('home.teacher.deadlines')} className="home-card">
        <List
          dataSource={desk.deadlines}
          locale={{ emptyText: <Empty text={t('home.teacher.noDeadlines')} /> }}
          renderItem={(d) => (
            <List.Item extra={dayjs(d.due).format('YYYY-MM-DD HH:mm')}>
              <Link to={d.route}>
                {t(`home.teacher.kind.${d.kind}`)} · {d.title}
              </Link>
            </List.Item>
          )}
        />
      </Card>
      <Card title={t('home.teacher.certificates')} className="home-card" extra={<Link to="/certificates">{t('home.more')}</Link>}>
        <List
          dataSource={desk.certificates}
          locale={{ emptyText: <Empty text={t('home.teacher.noCertificates')} /> }}
          renderItem={(c) => (
            <List.Item extra={dayjs(c.issued_at).format('YYYY-MM-DD')}>
              {c.number} {c.revoked && <Tag color="red">{t('certificateStatus.revoked')}</Tag>}
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}

/** A reviewer's open rounds: how many of their lessons are scored, and the deadline. */
export function ReviewsDue({ reviews }: { reviews: Schemas['ReviewDue'][] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('home.reviews.title')} className="home-card" data-testid="home-reviews">
      <List
        dataSource={reviews}
        locale={{ emptyText: <Empty text={t('home.reviews.none')} /> }}
        renderItem={(r) => (
          <List.Item extra={t('home.reviews.deadline', { date: dayjs(r.deadline).format('YYYY-MM-DD') })}>
            <List.Item.Meta
              title={<Link to="/lesson-reviews">{r.round_name}</Link>}
              description={<Progress percent={r.assigned > 0 ? Math.round((r.submitted / r.assigned) * 100) : 0} format={() => `${r.submitted} / ${r.assigned}`} aria-label={r.round_name} />}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
