import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Grid, Input, InputNumber, Modal, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import dayjs from 'dayjs';
import Page from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { errorText } from '../../components/errors';
import { formatBytes, liveTotal, missingScores, type ReviewItem } from '../Lessons/api';
import { DownloadLink, MediaSummary, VideoPlayer } from '../Lessons/parts';

interface SheetForm {
  points: Record<string, number | null>;
  comments: Record<string, string>;
  comment: string;
}

/**
 * The score sheet of one assignment: the lesson as the API shows it (no identity in a blind round), its items with
 * the player and downloads, one 0..max input and a comment per criterion, the live total; 保存草稿 or 提交
 * (confirmed; read-only afterwards).
 */
export default function ScorePage() {
  const { id } = useParams();
  const assignmentId = Number(id);
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<SheetForm>();
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [confirming, setConfirming] = useState(false);
  // On a phone the rubric is one criterion under another (a three-column table would need sideways scrolling) and the
  // total with the buttons stays in reach at the bottom of the screen.
  const phone = Grid.useBreakpoint().md === false;
  const q = useQuery({ queryKey: ['lesson-review', assignmentId], queryFn: () => unwrap(api.GET('/api/lesson-reviews/{id}', { params: { path: { id: assignmentId } } })) });
  const r = q.data;
  const points = Form.useWatch('points', form) ?? {};
  const readOnly = r?.status === 'submitted' || r?.editable === false;

  useEffect(() => {
    if (!r) return;
    form.setFieldsValue({
      points: Object.fromEntries(r.criteria.map((c) => [c.key, r.scores.find((s) => s.key === c.key)?.points ?? null])),
      comments: Object.fromEntries(r.criteria.map((c) => [c.key, r.scores.find((s) => s.key === c.key)?.comment ?? ''])),
      comment: r.comment ?? '',
    });
  }, [r, form]);

  const save = async (submit: boolean) => {
    if (!r) return;
    if (submit) await form.validateFields();
    const v = form.getFieldsValue(true) as SheetForm;
    const scores = r.criteria
      .filter((c) => typeof v.points?.[c.key] === 'number')
      .map((c) => ({ key: c.key, points: v.points[c.key] as number, comment: (v.comments?.[c.key] ?? '').trim() }));
    setBusy(submit ? 'submit' : 'draft');
    try {
      const saved = await unwrap(api.PUT('/api/lesson-reviews/{id}', { params: { path: { id: assignmentId } }, body: { scores, comment: (v.comment ?? '').trim(), submit } }));
      if (saved && typeof saved === 'object' && 'assignment_id' in saved) qc.setQueryData(['lesson-review', assignmentId], saved);
      else await q.refetch();
      message.success(t(submit ? 'lessonReviews.submitted' : 'lessonReviews.draftSaved'));
      setConfirming(false);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };

  if (q.isLoading) return <Loading />;
  if (q.error || !r) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  const total = liveTotal(points);
  const max = r.criteria.reduce((a, c) => a + c.max_points, 0);
  const missing = missingScores(r.criteria, points);
  const video = r.items.find((i) => i.kind === 'video');
  const itemPath = (i: ReviewItem) => `/api/lesson-reviews/${assignmentId}/items/${i.id}`;
  type Criterion = (typeof r.criteria)[number];
  const criterionLabel = (c: Criterion) => (
    <div>
      <Typography.Text strong>{c.name}</Typography.Text> <Tag>{t('lessonReviews.maxN', { n: c.max_points })}</Tag>
      {c.description && <div style={{ fontSize: 12, color: '#595959' }}>{c.description}</div>}
    </div>
  );
  const pointsInput = (c: Criterion) => (
    <Form.Item
      name={['points', c.key]}
      style={{ margin: 0 }}
      rules={[{ required: true, type: 'number', min: 0, max: c.max_points, message: t('lessonReviews.pointsRule', { max: c.max_points }) }]}
    >
      <InputNumber min={0} max={c.max_points} step={0.5} inputMode="decimal" aria-label={`${c.name}（0–${c.max_points}）`} data-testid={`points-${c.key}`} />
    </Form.Item>
  );
  const commentInput = (c: Criterion) => (
    <Form.Item name={['comments', c.key]} style={{ margin: 0 }}>
      <Input maxLength={500} aria-label={t('lessonReviews.commentOn', { name: c.name })} placeholder={phone ? t('lessonReviews.criterionComment') : undefined} data-testid={`comment-${c.key}`} />
    </Form.Item>
  );
  const totalStat = <Statistic title={t('lessonReviews.total')} value={total} suffix={`/ ${max}`} valueStyle={{ fontSize: 20 }} data-testid="live-total" />;

  return (
    <Page
      title={r.lesson.title}
      trail={[{ title: t('lessons.menu.reviews'), to: '/lesson-reviews' }, { title: r.round_name }]}
      subTitle={`${r.round_name} · ${t('lessonRounds.deadline')} ${dayjs(r.deadline).format('YYYY-MM-DD HH:mm')}`}
      extra={<Button onClick={() => navigate('/lesson-reviews')}>{t('common.back')}</Button>}
    >
      {readOnly && <Alert type="success" showIcon style={{ marginBottom: 16 }} message={t('lessonReviews.readOnly')} data-testid="review-submitted" />}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} data-testid="review-lesson">
          <Descriptions.Item label={t('lessons.catalogue.stage')}>{r.lesson.stage}</Descriptions.Item>
          <Descriptions.Item label={t('lessons.catalogue.subject')}>{r.lesson.subject}</Descriptions.Item>
          <Descriptions.Item label={t('lessons.catalogue.edition')}>{r.lesson.edition}</Descriptions.Item>
          <Descriptions.Item label={t('lessons.catalogue.grade')}>
            {r.lesson.grade}
            {r.lesson.volume}
          </Descriptions.Item>
          <Descriptions.Item label={t('lessons.catalogue.chapter')}>{r.lesson.chapter}</Descriptions.Item>
          <Descriptions.Item label={t('lessons.catalogue.node')}>
            {r.lesson.node} · {t('lessons.lessonNoN', { n: r.lesson.lesson_no })}
          </Descriptions.Item>
          {r.lesson.teacher_name && <Descriptions.Item label={t('lessonCheck.teacher')}>{r.lesson.teacher_name}</Descriptions.Item>}
          {r.lesson.school_name && <Descriptions.Item label={t('lessonCheck.school')}>{r.lesson.school_name}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={t('lessons.items')} style={{ marginBottom: 16 }}>
        <ul data-testid="review-items">
          {r.items.map((i) => (
            <li key={i.id}>
              {t(`lessons.kind.${i.kind}`)}
              {i.material_type && ` (${t(`lessons.material.${i.material_type}`)})`}: <DownloadLink path={`${itemPath(i)}/content`} name={i.name} /> {formatBytes(i.size)}
            </li>
          ))}
        </ul>
        {video && (
          <>
            <MediaSummary media={video.media} />
            <VideoPlayer token={{ review: assignmentId, item: video.id }} posterPath={video.has_poster !== false ? `${itemPath(video)}/poster` : undefined} title={video.name} />
          </>
        )}
      </Card>
      <Card
        title={t('lessonReviews.sheet')}
        extra={phone ? undefined : totalStat}
      >
        <Form form={form} layout="vertical" disabled={readOnly}>
          {phone ? (
            <div className="criteria-list" data-testid="criteria-list">
              {r.criteria.map((c) => (
                <div key={c.key} className="criterion">
                  {criterionLabel(c)}
                  {pointsInput(c)}
                  {commentInput(c)}
                </div>
              ))}
            </div>
          ) : (
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={r.criteria}
              columns={[
                { title: t('lessonRounds.criterionName'), dataIndex: 'name', width: 220, render: (_: string, c) => criterionLabel(c) },
                { title: t('lessonReviews.points'), width: 150, render: (_: unknown, c) => pointsInput(c) },
                { title: t('lessonReviews.criterionComment'), render: (_: unknown, c) => commentInput(c) },
              ]}
            />
          )}
          <Form.Item name="comment" label={t('lessonReviews.overall')} style={{ marginTop: 16 }}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="overall-comment" />
          </Form.Item>
        </Form>
        {phone && readOnly && <div className="sticky-total">{totalStat}</div>}
        {!readOnly && (
          <Space className={phone ? 'sticky-total' : undefined} wrap>
            {phone && totalStat}
            <Button loading={busy === 'draft'} onClick={() => save(false)} data-testid="save-draft">
              {t('lessonReviews.saveDraft')}
            </Button>
            <Button type="primary" disabled={missing.length > 0} onClick={() => setConfirming(true)} data-testid="submit-review">
              {t('lessonReviews.submit')}
            </Button>
            {missing.length > 0 && <Typography.Text type="secondary">{t('lessonReviews.missing', { count: missing.length })}</Typography.Text>}
          </Space>
        )}
      </Card>
      <Modal
        open={confirming}
        title={t('lessonReviews.confirmTitle')}
        okText={t('lessonReviews.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'submit'}
        onOk={() => save(true)}
        onCancel={() => setConfirming(false)}
        okButtonProps={{ 'data-testid': 'confirm-review' } as never}
        destroyOnHidden
      >
        {t('lessonReviews.confirmBody', { total, max })}
      </Modal>
    </Page>
  );
}
