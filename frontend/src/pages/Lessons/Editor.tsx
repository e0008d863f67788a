import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import Page from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { applyFieldErrors, errorText } from '../../components/errors';
import { formatBytes, MATERIAL_TYPES, OPTIONAL_KINDS, REQUIRED_KINDS, type ItemKind, type Lesson, type LessonItem, type LessonResult, type MaterialType } from './api';
import CataloguePicker from './CataloguePicker';
import ItemUpload from './ItemUpload';
import { AwardTags, DownloadLink, LessonStatusTag, MediaSummary, RequirementChecklist, VideoPlayer, requirementKeyOf } from './parts';

interface FormValues {
  activity_id?: number;
  catalogue_node_id?: number;
  title: string;
  lesson_no: number;
  advisors: string[];
  objectives: string;
  learner_analysis: string;
  key_points: string;
  activities: string;
}
const DESIGN = ['objectives', 'learner_analysis', 'key_points', 'activities'] as const;

/** The reasons submitting is refused, as the teacher reads them: failed requirements and failed (non-advisory) video checks. */
export function submitBlockers(lesson: Lesson, t: (k: string, o?: Record<string, unknown>) => string): string[] {
  const out = lesson.requirements.filter((r) => !r.passed).map((r) => t(`lessons.req.${r.key}`, { defaultValue: r.message }));
  const video = lesson.items.find((i) => i.kind === 'video');
  const listed = new Set(lesson.requirements.map((r) => r.key));
  for (const c of video?.file.media?.checks ?? []) if (!c.passed && !c.advisory && !listed.has(requirementKeyOf(c))) out.push(`${t('lessons.videoCheck')}: ${t(`lessons.check.${c.key}`, { defaultValue: c.key })}`);
  return [...new Set(out)];
}

function ItemRow({ lesson, item, onChanged }: { lesson: Lesson; item: LessonItem; onChanged: (l: Lesson) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Space wrap>
      <DownloadLink path={`/api/files/${item.file.id}/content`} name={item.file.name} />
      <Typography.Text type="secondary">{formatBytes(item.file.size)}</Typography.Text>
      {item.material_type && <Tag>{t(`lessons.material.${item.material_type}`)}</Tag>}
      {lesson.editable && (
        <Popconfirm
          title={t('lessons.confirmRemoveItem', { name: item.file.name })}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={async () => {
            try {
              onChanged(await unwrap(api.DELETE('/api/lessons/{id}/items/{item_id}', { params: { path: { id: lesson.id, item_id: item.id } } })));
              message.success(t('lessons.itemRemoved'));
            } catch (e) {
              message.error(errorText(t, e));
            }
          }}
        >
          <Button size="small" type="link" danger data-testid={`remove-item-${item.id}`}>
            {t('lessons.remove')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

function Results({ results }: { results: LessonResult[] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('lessons.results')} data-testid="lesson-results" style={{ marginBottom: 16 }}>
      <Table<LessonResult>
        rowKey="round_id"
        size="small"
        pagination={false}
        dataSource={results}
        columns={[
          { title: t('lessons.round.level'), dataIndex: 'level', render: (l: string) => t(`lessons.level.${l}`, { defaultValue: l }) },
          { title: t('lessons.round.name'), dataIndex: 'round_name' },
          { title: t('lessons.score'), dataIndex: 'score', render: (s?: number | null) => (typeof s === 'number' ? s.toFixed(2) : '—') },
          { title: t('lessons.rank'), dataIndex: 'rank', render: (r?: number | null) => r ?? '—' },
          {
            title: t('lessons.awardCol'),
            dataIndex: 'awarded',
            render: (_: unknown, r) => (r.awarded ? <AwardTags awards={[r.level]} /> : r.recommended ? <Tag>{t('lessons.recommended')}</Tag> : '—'),
          },
          {
            title: t('lessons.comments'),
            dataIndex: 'comments',
            render: (c: string[]) => (c.length ? c.map((x, i) => <Typography.Paragraph key={i} style={{ marginBottom: 4 }}>{x}</Typography.Paragraph>) : '—'),
          },
        ]}
      />
    </Card>
  );
}

/** A teacher's lesson (晒课): catalogue node, title, 课时, 指导教师, 教学设计, the items, the checklist and submission. */
export default function LessonEditor() {
  const { id } = useParams();
  const isNew = id === 'new';
  const lessonId = Number(id);
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [submitOpen, setSubmitOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [optKind, setOptKind] = useState<ItemKind>('reflection');
  const [materialType, setMaterialType] = useState<MaterialType | undefined>();
  const activities = useQuery({ queryKey: ['lesson-activities'], queryFn: () => unwrap(api.GET('/api/lesson-activities', { params: { query: { page_size: 100 } } })) });
  const lessonQ = useQuery({
    queryKey: ['lesson', lessonId],
    enabled: !isNew && Number.isInteger(lessonId),
    queryFn: () => unwrap(api.GET('/api/lessons/{id}', { params: { path: { id: lessonId } } })),
  });
  const lesson = lessonQ.data;
  const activityId = Form.useWatch('activity_id', form) ?? lesson?.activity_id ?? (isNew ? activities.data?.items[0]?.id : undefined);
  const editable = isNew || !!lesson?.editable;

  useEffect(() => {
    if (!lesson) return;
    form.setFieldsValue({
      activity_id: lesson.activity_id,
      catalogue_node_id: lesson.catalogue_node_id,
      title: lesson.title,
      lesson_no: lesson.lesson_no,
      advisors: lesson.advisors,
      objectives: lesson.design.objectives ?? '',
      learner_analysis: lesson.design.learner_analysis ?? '',
      key_points: lesson.design.key_points ?? '',
      activities: lesson.design.activities ?? '',
    });
  }, [lesson, form]);

  const setLesson = (l: Lesson) => qc.setQueryData(['lesson', l.id], l);

  const save = async () => {
    const v = await form.validateFields();
    const body = {
      activity_id: v.activity_id ?? activityId!,
      catalogue_node_id: v.catalogue_node_id!,
      title: v.title.trim(),
      lesson_no: v.lesson_no,
      advisors: (v.advisors ?? []).map((a) => a.trim()).filter(Boolean),
      design: { objectives: v.objectives ?? '', learner_analysis: v.learner_analysis ?? '', key_points: v.key_points ?? '', activities: v.activities ?? '' },
    };
    setSaving(true);
    try {
      if (isNew) {
        const created = (await unwrap(api.POST('/api/lessons', { body }))) as unknown as Lesson;
        message.success(t('lessons.created'));
        setLesson(created);
        navigate(`/lessons/${created.id}`, { replace: true });
      } else {
        setLesson((await unwrap(api.PUT('/api/lessons/{id}', { params: { path: { id: lessonId } }, body }))) as unknown as Lesson);
        message.success(t('common.saved'));
      }
      void qc.invalidateQueries({ queryKey: ['lessons'] });
    } catch (e) {
      if (!applyFieldErrors(form, e, ['title', 'lesson_no', 'advisors', 'catalogue_node_id', 'activity_id', 'design.objectives'])) message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };

  const submit = async () => {
    setSubmitting(true);
    try {
      setLesson(await unwrap(api.POST('/api/lessons/{id}/submit', { params: { path: { id: lessonId } } })));
      message.success(t('lessons.submitted'));
      setSubmitOpen(false);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setSubmitting(false);
    }
  };

  if (!isNew && lessonQ.isLoading) return <Loading />;
  if (!isNew && lessonQ.error) return <ErrorState error={lessonQ.error} onRetry={() => lessonQ.refetch()} />;
  if (isNew && activities.isLoading) return <Loading />;

  const blockers = lesson ? submitBlockers(lesson, t as never) : [];
  const video = lesson?.items.find((i) => i.kind === 'video');
  const optionalItems = lesson?.items.filter((i) => !REQUIRED_KINDS.includes(i.kind)) ?? [];

  return (
    <Page
      title={isNew ? t('lessons.create') : lesson!.title}
      trail={[{ title: t('lessons.menu.mine'), to: '/lessons' }]}
      subTitle={lesson && <LessonStatusTag status={lesson.status} />}
      extra={
        <>
          <Button onClick={() => navigate('/lessons')}>{t('common.back')}</Button>
          {lesson?.status === 'draft' && lesson.editable && (
            <Popconfirm
              title={t('lessons.confirmDelete')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={async () => {
                try {
                  await unwrap(api.DELETE('/api/lessons/{id}', { params: { path: { id: lessonId } } }));
                  message.success(t('lessons.deleted'));
                  navigate('/lessons');
                } catch (e) {
                  message.error(errorText(t, e));
                }
              }}
            >
              <Button danger data-testid="delete-lesson">
                {t('lessons.delete')}
              </Button>
            </Popconfirm>
          )}
        </>
      }
    >
      {lesson?.status === 'returned' && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('lessons.returnedTitle')} description={lesson.check_reason ?? '—'} data-testid="returned-reason" />
      )}
      {lesson?.results && lesson.results.length > 0 && <Results results={lesson.results} />}
      {lesson && lesson.awards.length > 0 && (!lesson.results || lesson.results.length === 0) && (
        <Card style={{ marginBottom: 16 }} data-testid="lesson-awards">
          {t('lessons.awards')}: <AwardTags awards={lesson.awards} />
        </Card>
      )}

      <Card title={t('lessons.basics')} style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" disabled={!editable} initialValues={{ lesson_no: 1, advisors: [] }}>
          {isNew ? (
            <Form.Item name="activity_id" label={t('lessons.activity')} initialValue={activities.data?.items[0]?.id} rules={[{ required: true, message: t('validation.required') }]}>
              <Select
                options={(activities.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.year} ${a.name}` }))}
                onChange={() => form.setFieldValue('catalogue_node_id', undefined)}
                data-testid="lesson-activity"
              />
            </Form.Item>
          ) : (
            <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('lessons.activity')}>{activities.data?.items.find((a) => a.id === lesson!.activity_id)?.name ?? lesson!.activity_id}</Descriptions.Item>
              <Descriptions.Item label={t('lessons.catalogue.node')}>
                {[lesson!.stage, lesson!.subject, lesson!.edition, lesson!.grade, lesson!.volume, lesson!.chapter, lesson!.node].join(' / ')}
              </Descriptions.Item>
            </Descriptions>
          )}
          {activityId !== undefined && editable && (
            <Form.Item name="catalogue_node_id" label={t('lessons.pickNode')} rules={[{ required: true, message: t('lessons.pickNodeRequired') }]}>
              <NodeField activityId={activityId} initial={lesson ? { stage: lesson.stage, subject: lesson.subject, edition: lesson.edition, grade: lesson.grade, volume: lesson.volume } : undefined} />
            </Form.Item>
          )}
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="title" label={t('lessons.titleField')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                <Input maxLength={200} data-testid="lesson-title" />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="lesson_no" label={t('lessons.lessonNo')} rules={[{ required: true, message: t('validation.required') }]}>
                <InputNumber min={1} max={99} precision={0} style={{ width: '100%' }} data-testid="lesson-no" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="advisors"
                label={t('lessons.advisors')}
                extra={t('lessons.advisorsHint')}
                rules={[{ validator: (_, v?: string[]) => ((v ?? []).length <= 3 ? Promise.resolve() : Promise.reject(new Error(t('lessons.advisorsMax')))) }]}
              >
                <Select mode="tags" maxCount={3} open={false} tokenSeparators={[',', '，', ' ']} aria-label={t('lessons.advisors')} data-testid="lesson-advisors" />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Title level={2} style={{ fontSize: 16 }}>
            {t('lessons.design')}
          </Typography.Title>
          <Row gutter={16}>
            {DESIGN.map((k) => (
              <Col xs={24} md={12} key={k}>
                <Form.Item name={k} label={t(`lessons.designSection.${k}`)}>
                  <Input.TextArea rows={3} maxLength={5000} data-testid={`design-${k}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          {editable && (
            <Button type="primary" loading={saving} onClick={save} data-testid="save-lesson">
              {isNew ? t('lessons.createAndContinue') : t('common.save')}
            </Button>
          )}
        </Form>
      </Card>

      {lesson && (
        <>
          <Card title={t('lessons.items')} style={{ marginBottom: 16 }}>
            <Table
              rowKey="kind"
              size="small"
              pagination={false}
              dataSource={REQUIRED_KINDS.map((kind) => ({ kind, item: lesson.items.find((i) => i.kind === kind) }))}
              data-testid="required-items"
              columns={[
                {
                  title: t('lessons.itemKind'),
                  dataIndex: 'kind',
                  width: 160,
                  render: (k: ItemKind) => (
                    <Space>
                      {t(`lessons.kind.${k}`)}
                      <Tag color="red">{t('lessons.required')}</Tag>
                    </Space>
                  ),
                },
                {
                  title: t('lessons.file'),
                  dataIndex: 'item',
                  render: (item: LessonItem | undefined) => (item ? <ItemRow lesson={lesson} item={item} onChanged={setLesson} /> : <Typography.Text type="danger">{t('lessons.notUploaded')}</Typography.Text>),
                },
                {
                  title: t('common.actions'),
                  width: 360,
                  render: (_: unknown, r: { kind: ItemKind; item?: LessonItem }) =>
                    lesson.editable ? <ItemUpload lessonId={lesson.id} kind={r.kind} onDone={setLesson} label={r.item ? t('lessons.replace') : t('lessons.upload')} /> : null,
                },
              ]}
            />
            <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
              {t('lessons.optionalItems')}
            </Typography.Title>
            {optionalItems.length > 0 && (
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={optionalItems}
                columns={[
                  { title: t('lessons.itemKind'), dataIndex: 'kind', width: 160, render: (k: ItemKind) => t(`lessons.kind.${k}`) },
                  { title: t('lessons.file'), render: (_: unknown, item: LessonItem) => <ItemRow lesson={lesson} item={item} onChanged={setLesson} /> },
                ]}
                style={{ marginBottom: 12 }}
              />
            )}
            {lesson.editable && (
              <Space wrap align="start">
                <Select
                  style={{ width: 160 }}
                  value={optKind}
                  onChange={setOptKind}
                  aria-label={t('lessons.itemKind')}
                  options={OPTIONAL_KINDS.map((k) => ({ value: k, label: t(`lessons.kind.${k}`) }))}
                  data-testid="optional-kind"
                />
                {optKind === 'material' && (
                  <Select
                    style={{ width: 180 }}
                    value={materialType}
                    onChange={setMaterialType}
                    aria-label={t('lessons.materialType')}
                    options={MATERIAL_TYPES.map((m) => ({ value: m, label: t(`lessons.material.${m}`) }))}
                    data-testid="material-type"
                  />
                )}
                <ItemUpload key={optKind} lessonId={lesson.id} kind={optKind} materialType={materialType} disabled={optKind === 'material' && !materialType} onDone={setLesson} />
              </Space>
            )}
          </Card>

          {video && (
            <Card title={t('lessons.kind.video')} style={{ marginBottom: 16 }} data-testid="video-card">
              <MediaSummary media={video.file.media} />
              <VideoPlayer
                token={{ file: video.file.id }}
                posterPath={video.file.has_poster ? `/api/files/${video.file.id}/poster` : undefined}
                title={video.file.name}
              />
            </Card>
          )}

          <Card title={t('lessons.checklist')} style={{ marginBottom: 16 }}>
            <RequirementChecklist requirements={lesson.requirements} checks={video?.file.media?.checks} />
            {lesson.editable && (
              <div style={{ marginTop: 16 }}>
                {blockers.length > 0 && (
                  <Alert
                    type="warning"
                    showIcon
                    style={{ marginBottom: 12 }}
                    message={t('lessons.cannotSubmit')}
                    description={
                      <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="submit-blockers">
                        {blockers.map((b) => (
                          <li key={b}>{b}</li>
                        ))}
                      </ul>
                    }
                  />
                )}
                <Button type="primary" disabled={blockers.length > 0} onClick={() => setSubmitOpen(true)} data-testid="submit-lesson">
                  {t('lessons.submit')}
                </Button>
              </div>
            )}
          </Card>
          <Modal
            open={submitOpen}
            title={t('lessons.confirmSubmitTitle')}
            okText={t('lessons.submit')}
            cancelText={t('common.cancel')}
            confirmLoading={submitting}
            onOk={submit}
            onCancel={() => setSubmitOpen(false)}
            okButtonProps={{ 'data-testid': 'confirm-submit' } as never}
            destroyOnHidden
          >
            <Typography.Paragraph>{t('lessons.confirmSubmit', { title: lesson.title })}</Typography.Paragraph>
          </Modal>
        </>
      )}
    </Page>
  );
}

/** Form control wrapper: the picker reports the node id as the field value. */
function NodeField({ activityId, value, onChange, initial }: { activityId: number; value?: number; onChange?: (v: number) => void; initial?: Parameters<typeof CataloguePicker>[0]['initial'] }) {
  return <CataloguePicker key={activityId} activityId={activityId} value={value} onChange={(id) => onChange?.(id)} initial={initial} />;
}
