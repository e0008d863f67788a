import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, InputNumber, Result as AntResult, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { Attempt, AttemptQuestion } from '../../api/types';
import { applyFieldErrors, errorText } from '../../components/errors';
import { describeResponse, gradeProblem, objectivePart } from './rules';

/** A tutor's grade of one short answer: a score up to the question's points and a comment. */
function GradeForm({ attemptId, question: q, onGraded }: { attemptId: number; question: AttemptQuestion; onGraded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ score: number; comment: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    const problem = gradeProblem(v.score, q.points, v.comment);
    if (problem) {
      form.setFields([{ name: problem, errors: [t(problem === 'score' ? 'attempts.scoreRange' : 'attempts.commentRequired', { points: q.points })] }]);
      return;
    }
    setBusy(true);
    try {
      await unwrap(api.POST('/api/attempts/{id}/answers/{question_id}/grade', { params: { path: { id: attemptId, question_id: q.question_id } }, body: { score: v.score, comment: v.comment.trim() } }));
      message.success(t('attempts.gradedToast'));
      onGraded();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['score', 'comment'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} name={`grade-${q.question_id}`} layout="inline" initialValues={{ score: q.score ?? undefined, comment: q.comment ?? '' }} style={{ marginTop: 12, rowGap: 8 }} data-testid={`grade-form-${q.position}`}>
      <Form.Item label={t('attempts.gradeScore', { points: q.points })} name="score" rules={[{ required: true, message: t('validation.required') }]}>
        <InputNumber min={0} max={q.points} step={0.5} />
      </Form.Item>
      <Form.Item label={t('attempts.comment')} name="comment" rules={[{ required: true, whitespace: true, message: t('attempts.commentRequired') }]} style={{ flex: 1, minWidth: 260 }}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item>
        <Button type="primary" loading={busy} onClick={submit} data-testid={`grade-save-${q.position}`}>
          {q.score !== undefined && q.score !== null ? t('attempts.regrade') : t('attempts.saveGrade')}
        </Button>
      </Form.Item>
    </Form>
  );
}

/**
 * A closed attempt: the score and pass, then each question with the response, its score, the correct answer, the
 * explanation and the tutor's comment. Staff (`grading`) grade the short answers here.
 */
export default function AttemptResult({ attempt: a, grading, onGraded }: { attempt: Attempt; grading: boolean; onGraded: () => void }) {
  const { t } = useTranslation();
  const words = { true: t('questions.true'), false: t('questions.false'), none: t('attempts.noResponse') };
  const waiting = a.status === 'grading';
  const running = a.status === 'in_progress';
  // Per-question scores and comments come with the keys, when the quiz's review policy allows.
  const withheld = !running && !a.keys_shown;
  // No total while short answers wait: the objective part out of its own points, when its scores are shown.
  const objective = withheld ? undefined : objectivePart(a.questions);
  const pendingSummary = objective
    ? t('attempts.pendingCount', { count: a.pending_grading, score: objective.score, total: objective.total })
    : t('attempts.pendingOnly', { count: a.pending_grading });
  return (
    <Space direction="vertical" size="middle" style={{ display: 'flex' }}>
      <Card data-testid="attempt-result">
        {running ? (
          <Alert type="info" showIcon message={t('attempts.stillRunning', { time: dayjs(a.deadline_at).format('HH:mm') })} />
        ) : waiting ? (
          <AntResult status="info" title={t('attempts.pendingGrading')} subTitle={pendingSummary} data-testid="pending-summary" />
        ) : (
          <AntResult
            status={a.passed ? 'success' : 'warning'}
            title={`${t(a.passed ? 'attempts.passed' : 'attempts.failed')} · ${t('attempts.scoreOf', { score: a.score ?? 0, total: a.total_points })}`}
            subTitle={t('attempts.passLine', { pass: a.pass_score })}
          />
        )}
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('attempts.teacher')}>{a.teacher_name}</Descriptions.Item>
          <Descriptions.Item label={t('attempts.no')}>{t('attempts.nth', { n: a.attempt_no })}</Descriptions.Item>
          <Descriptions.Item label={t('attempts.closedAt')}>
            {a.closed_at ? dayjs(a.closed_at).format('YYYY-MM-DD HH:mm:ss') : '—'}
            {a.closed_by_timeout && <Tag style={{ marginLeft: 8 }}>{t('attempts.byTimeout')}</Tag>}
          </Descriptions.Item>
        </Descriptions>
        {withheld && <Alert type="info" showIcon message={t(`attempts.keysLater.${a.key_review}`, { time: dayjs(a.quiz_closes_at).format('YYYY-MM-DD HH:mm') })} data-testid="keys-later" />}
      </Card>
      {a.questions.map((q) => {
        const pending = !running && !withheld && q.kind === 'short' && (q.score === undefined || q.score === null);
        return (
          <Card
            key={q.question_id}
            size="small"
            title={t('attempts.questionTitle', { n: q.position, kind: t(`questionKind.${q.kind}`), points: q.points })}
            extra={
              running || withheld ? null : pending ? (
                <Tag>{t('attempts.pendingShort')}</Tag>
              ) : (
                <Typography.Text strong data-testid={`score-${q.position}`}>
                  {t('attempts.gotPoints', { score: q.score ?? 0, points: q.points })}
                </Typography.Text>
              )
            }
            data-testid={`result-${q.position}`}
          >
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{q.stem}</Typography.Paragraph>
            {q.options.length > 0 && (
              <ol type="A" style={{ paddingInlineStart: 24 }}>
                {q.options.map((o) => (
                  <li key={o.key}>{o.text}</li>
                ))}
              </ol>
            )}
            <Flex vertical gap={4}>
              <div>
                <Typography.Text type="secondary">{t('attempts.yourResponse')}：</Typography.Text>
                <span style={{ whiteSpace: 'pre-wrap' }}>{describeResponse(q.kind, q.response, q.options, words)}</span>
              </div>
              {q.correct_answer && (
                <div>
                  <Typography.Text type="secondary">{q.kind === 'short' ? t('questions.reference') : t('attempts.correctAnswer')}：</Typography.Text>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{describeResponse(q.kind, q.correct_answer, q.options, words)}</span>
                </div>
              )}
              {q.explanation && (
                <div>
                  <Typography.Text type="secondary">{t('questions.explanation')}：</Typography.Text>
                  {q.explanation}
                </div>
              )}
              {q.comment && (
                <div data-testid={`comment-${q.position}`}>
                  <Typography.Text type="secondary">{t('attempts.tutorComment')}：</Typography.Text>
                  {q.comment}
                </div>
              )}
            </Flex>
            {grading && !running && q.kind === 'short' && q.response && <GradeForm attemptId={a.id} question={q} onGraded={onGraded} />}
          </Card>
        );
      })}
    </Space>
  );
}
