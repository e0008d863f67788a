import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Popconfirm, Radio, Select, Space, Switch, Table, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { Question, Quiz } from '../../api/types';
import { isApiError } from '../../api/problem';
import { errorText, fieldName } from '../../components/errors';
import { DIFFICULTIES, KINDS } from '../Questions/rules';
import QuestionPicker from './QuestionPicker';
import { fromQuiz, KEY_REVIEWS, paperField, paperTotal, toQuizInput, type ItemRow, type QuizValues } from './rules';

const FIELDS = ['title', 'description', 'class_id', 'mode', 'time_limit_minutes', 'attempts_allowed', 'pass_score', 'shuffle_options', 'counts_for_completion', 'key_review'];

/**
 * The quiz builder for a program manager: a new draft (`quiz` absent; saved, it opens on its own page) or a draft
 * being edited and published (saved first; a 422 names the section the bank cannot fill).
 * A fixed paper is picked from the bank (points may be overridden per question); a random one is drawn at each
 * attempt from sections (tag, difficulty, kind, subject → count × points).
 */
export default function Builder({ programId, quiz, onSaved }: { programId: number; quiz?: Quiz; onSaved: (q: Quiz, published: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<QuizValues>();
  const [items, setItems] = useState<ItemRow[]>([]);
  const [known, setKnown] = useState<Record<number, Question>>({});
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [paperErrors, setPaperErrors] = useState<{ items: Record<number, string>; general: string[] }>({ items: {}, general: [] });
  const mode = Form.useWatch('mode', form) ?? 'fixed';
  const sections = Form.useWatch('sections', form) ?? [];

  // Filled once per quiz: saving hands back the same quiz, and the form (with any errors on it) stays as it is.
  useEffect(() => {
    form.resetFields();
    if (quiz) {
      const { values, items: rows } = fromQuiz(quiz);
      form.setFieldsValue(values);
      setItems(rows);
    } else {
      setItems([]);
    }
  }, [quiz?.id, form]);

  const classes = useQuery({
    queryKey: ['classes', { program: programId }],
    queryFn: () => unwrap(api.GET('/api/classes', { params: { query: { program_id: programId, page: 1, page_size: 100 } } })),
  });

  // Stems of the questions already on a saved paper (the picker adds the ones it picks to `known`).
  const missing = useMemo(() => items.map((i) => i.question_id).filter((id) => !known[id]), [items, known]);
  const fetched = useQueries({
    queries: missing.map((id) => ({
      queryKey: ['question', id],
      queryFn: () => unwrap(api.GET('/api/questions/{id}', { params: { path: { id } } })),
      staleTime: 60_000,
    })),
  });
  const question = (id: number): Question | undefined => known[id] ?? fetched.find((f) => f.data?.id === id)?.data;
  const total = paperTotal(mode, items, (id) => question(id)?.points, sections);

  const save = async (publish: boolean) => {
    const values = await form.validateFields();
    if (values.mode === 'fixed' && items.length === 0) {
      setPaperErrors({ items: {}, general: [t('quizzes.noItems')] });
      return;
    }
    setPaperErrors({ items: {}, general: [] });
    setBusy(publish ? 'publish' : 'save');
    let saved: Quiz | undefined;
    try {
      const body = toQuizInput(values, items);
      saved = quiz
        ? await unwrap(api.PUT('/api/quizzes/{id}', { params: { path: { id: quiz.id } }, body }))
        : await unwrap(api.POST('/api/programs/{id}/quizzes', { params: { path: { id: programId } }, body }));
      if (publish) saved = await unwrap(api.POST('/api/quizzes/{id}/publish', { params: { path: { id: saved.id } } }));
      message.success(t(publish ? 'quizzes.published' : 'common.saved'));
      onSaved(saved, publish);
    } catch (e) {
      showErrors(e);
      // Saved but not published: the page shows the saved draft, with the error above the paper.
      if (saved) onSaved(saved, false);
    } finally {
      setBusy(null);
    }
  };

  /** Field errors on their fields; `sections[n]` / `items[n]` on that section or row; the rest in an alert. */
  const showErrors = (e: unknown) => {
    const errors = isApiError(e) ? (e.problem.errors ?? []) : [];
    const itemErrors: Record<number, string> = {};
    const general: string[] = [];
    const onForm: { name: (string | number)[]; errors: string[] }[] = [];
    for (const fe of errors) {
      const paper = paperField(fe.field);
      const name = fieldName(fe.field);
      if (paper?.[0] === 'items') itemErrors[paper[1]] = fe.message;
      else if (paper?.[0] === 'sections') onForm.push({ name: ['sections', paper[1], 'count'], errors: [fe.message] });
      else if (name === 'opens_at' || name === 'closes_at') onForm.push({ name: ['window'], errors: [fe.message] });
      else if (FIELDS.includes(name)) onForm.push({ name: [name], errors: [fe.message] });
      else general.push(fe.message);
    }
    if (onForm.length) form.setFields(onForm as never);
    if (!errors.length) general.push(errorText(t, e));
    else if (onForm.some((f) => f.name[0] === 'sections')) general.push(...onForm.filter((f) => f.name[0] === 'sections').map((f) => `${t('quizzes.sectionN', { n: Number(f.name[1]) + 1 })}：${f.errors[0]}`));
    setPaperErrors({ items: itemErrors, general });
  };

  const move = (from: number, to: number) =>
    setItems((rows) => {
      const next = [...rows];
      const [row] = next.splice(from, 1);
      next.splice(to, 0, row);
      return next;
    });

  const required = { required: true, message: t('validation.required') };
  return (
    <Form
      form={form}
      name="quiz"
      layout="vertical"
      initialValues={{
        mode: 'fixed',
        window: [dayjs().startOf('hour'), dayjs().startOf('hour').add(7, 'day')],
        time_limit_minutes: 30,
        attempts_allowed: 1,
        pass_score: 60,
        shuffle_options: false,
        counts_for_completion: false,
        key_review: 'after_close',
        sections: [{ count: 5, points: 2 }],
      }}
      data-testid="quiz-builder"
    >
      <Card title={t('quizzes.settings')} style={{ marginBottom: 16 }}>
        <Form.Item label={t('quizzes.titleField')} name="title" rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={128} />
        </Form.Item>
        <Form.Item label={t('quizzes.description')} name="description">
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Space size="middle" wrap style={{ display: 'flex' }} align="start">
          <Form.Item label={t('quizzes.window')} name="window" rules={[required]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} />
          </Form.Item>
          <Form.Item label={t('quizzes.class')} name="class_id" tooltip={t('quizzes.classHelp')}>
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder={t('quizzes.wholeProgram')}
              loading={classes.isPending}
              options={(classes.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
        </Space>
        <Space size="middle" wrap style={{ display: 'flex' }}>
          <Form.Item label={t('quizzes.timeLimit')} name="time_limit_minutes" rules={[required]}>
            <InputNumber min={1} max={600} precision={0} addonAfter={t('quizzes.minutes')} />
          </Form.Item>
          <Form.Item label={t('quizzes.attemptsAllowed')} name="attempts_allowed" rules={[required]}>
            <InputNumber min={1} max={20} precision={0} />
          </Form.Item>
          <Form.Item label={t('quizzes.passScore')} name="pass_score" rules={[required]} extra={t('quizzes.totalIs', { total })}>
            <InputNumber min={0} step={0.5} />
          </Form.Item>
          <Form.Item label={t('quizzes.shuffle')} name="shuffle_options" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item label={t('quizzes.countsForCompletion')} name="counts_for_completion" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item label={t('quizzes.keyReview')} name="key_review" tooltip={t('quizzes.keyReviewHelp')} rules={[required]}>
            <Select style={{ width: 240 }} options={KEY_REVIEWS.map((k) => ({ value: k, label: t(`quizzes.keyReviewOption.${k}`) }))} data-testid="key-review" />
          </Form.Item>
        </Space>
      </Card>

      <Card
        title={t('quizzes.paper')}
        extra={
          <Form.Item name="mode" noStyle>
            <Radio.Group optionType="button" options={(['fixed', 'random'] as const).map((m) => ({ value: m, label: t(`paperMode.${m}`) }))} />
          </Form.Item>
        }
        style={{ marginBottom: 16 }}
      >
        {paperErrors.general.length > 0 && (
          <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} message={paperErrors.general.map((m) => <div key={m}>{m}</div>)} data-testid="paper-error" />
        )}
        {mode === 'fixed' ? (
          <>
            <Table<ItemRow>
              rowKey="question_id"
              size="small"
              pagination={false}
              dataSource={items}
              locale={{ emptyText: <Typography.Text type="secondary">{t('quizzes.noItems')}</Typography.Text> }}
              columns={[
                { title: '#', key: 'n', width: 48, render: (_, __, i) => i + 1 },
                {
                  title: t('questions.stem'),
                  key: 'stem',
                  ellipsis: true,
                  render: (_, r, i) => (
                    <>
                      {question(r.question_id)?.stem ?? `#${r.question_id}`}
                      {paperErrors.items[i] && (
                        <Typography.Text style={{ display: 'block', color: '#a8071a' }}>
                          {paperErrors.items[i]}
                        </Typography.Text>
                      )}
                    </>
                  ),
                },
                { title: t('questions.kind'), key: 'kind', width: 90, render: (_, r) => (question(r.question_id) ? t(`questionKind.${question(r.question_id)!.kind}`) : '') },
                {
                  title: t('quizzes.itemPoints'),
                  key: 'points',
                  width: 140,
                  render: (_, r, i) => (
                    <InputNumber
                      size="small"
                      min={0.5}
                      max={100}
                      step={0.5}
                      value={r.points ?? undefined}
                      placeholder={String(question(r.question_id)?.points ?? '')}
                      aria-label={t('quizzes.itemPointsOf', { n: i + 1 })}
                      onChange={(v) => setItems((rows) => rows.map((x, j) => (j === i ? { ...x, points: typeof v === 'number' ? v : null } : x)))}
                    />
                  ),
                },
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 120,
                  render: (_, __, i) => (
                    <Space size={0}>
                      <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} aria-label={t('quizzes.moveUp')} onClick={() => move(i, i - 1)} />
                      <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === items.length - 1} aria-label={t('quizzes.moveDown')} onClick={() => move(i, i + 1)} />
                      <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('quizzes.removeItem')} onClick={() => setItems((rows) => rows.filter((_, j) => j !== i))} />
                    </Space>
                  ),
                },
              ]}
              data-testid="paper-items"
            />
            <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
              <Button icon={<PlusOutlined />} onClick={() => setPicking(true)} data-testid="pick-questions">
                {t('quizzes.pick')}
              </Button>
              <Typography.Text>{t('quizzes.paperSummary', { count: items.length, total })}</Typography.Text>
            </Flex>
          </>
        ) : (
          <Form.List name="sections">
            {(fields, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {fields.map((f, i) => (
                  <Card key={f.key} size="small" title={t('quizzes.sectionN', { n: i + 1 })} extra={<Button type="text" danger icon={<DeleteOutlined />} disabled={fields.length <= 1} aria-label={t('quizzes.removeSection', { n: i + 1 })} onClick={() => remove(f.name)} />}>
                    <Space wrap align="start">
                      <Form.Item label={t('questions.tags')} name={[f.name, 'tag']}>
                        <Input maxLength={32} style={{ width: 120 }} />
                      </Form.Item>
                      <Form.Item label={t('questions.subject')} name={[f.name, 'subject']}>
                        <Input maxLength={32} style={{ width: 100 }} />
                      </Form.Item>
                      <Form.Item label={t('questions.kind')} name={[f.name, 'kind']}>
                        <Select allowClear style={{ width: 110 }} placeholder={t('quizzes.any')} options={KINDS.map((k) => ({ value: k, label: t(`questionKind.${k}`) }))} />
                      </Form.Item>
                      <Form.Item label={t('questions.difficulty')} name={[f.name, 'difficulty']}>
                        <Select allowClear style={{ width: 100 }} placeholder={t('quizzes.any')} options={DIFFICULTIES.map((d) => ({ value: d, label: t(`questions.level.${d}`) }))} />
                      </Form.Item>
                      <Form.Item label={t('quizzes.count')} name={[f.name, 'count']} rules={[required]}>
                        <InputNumber min={1} max={200} precision={0} />
                      </Form.Item>
                      <Form.Item label={t('quizzes.pointsEach')} name={[f.name, 'points']} rules={[required]}>
                        <InputNumber min={0.5} max={100} step={0.5} />
                      </Form.Item>
                    </Space>
                  </Card>
                ))}
                <Flex justify="space-between" align="center">
                  {fields.length < 20 && (
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ count: 5, points: 2 })}>
                      {t('quizzes.addSection')}
                    </Button>
                  )}
                  <Typography.Text>{t('quizzes.randomSummary', { total })}</Typography.Text>
                </Flex>
              </Space>
            )}
          </Form.List>
        )}
      </Card>

      <Space>
        <Button loading={busy === 'save'} disabled={!!busy} onClick={() => void save(false)} data-testid="save-quiz">
          {t('quizzes.saveDraft')}
        </Button>
        {quiz && (
          <Popconfirm title={t('quizzes.confirmPublish')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => save(true)}>
            <Button type="primary" loading={busy === 'publish'} disabled={!!busy} data-testid="publish-quiz">
              {t('quizzes.publish')}
            </Button>
          </Popconfirm>
        )}
      </Space>

      <QuestionPicker
        open={picking}
        taken={items.map((i) => i.question_id)}
        onClose={() => setPicking(false)}
        onPick={(qs) => {
          setKnown((k) => ({ ...k, ...Object.fromEntries(qs.map((q) => [q.id, q])) }));
          setItems((rows) => [...rows, ...qs.filter((q) => !rows.some((r) => r.question_id === q.id)).map((q) => ({ question_id: q.id }))]);
          setPicking(false);
        }}
      />
    </Form>
  );
}
