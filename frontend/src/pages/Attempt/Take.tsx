import { useEffect, useMemo, useRef, useState } from 'react';
import { Affix, Alert, App, Button, Card, Flex, Space, Statistic, Typography } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, ExclamationCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { AnswerKey, Attempt, AttemptQuestion } from '../../api/types';
import { isApiError } from '../../api/problem';
import { errorText } from '../../components/errors';
import QuestionInput from './QuestionInput';
import { buildResponse, clockOffset, formatRemaining, isTextKind, remainingMs, responseValue, unansweredCount, type InputValue } from './rules';
import { AnswerSaver, type SaveState } from './saver';

/** Re-renders every `ms` and returns the browser's clock (only ever used with the server offset). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

function SaveLine({ state, saved }: { state?: SaveState; saved?: string | null }) {
  const { t } = useTranslation();
  const savedText = (at: string) => (
    <span style={{ color: '#237804' }}>
      <CheckCircleOutlined /> {t('attempts.savedAt', { time: dayjs(at).format('HH:mm:ss') })}
    </span>
  );
  let content;
  if (!state) content = saved ? savedText(saved) : <Typography.Text type="secondary">{t('attempts.notAnswered')}</Typography.Text>;
  else if (state.status === 'dirty') content = <Typography.Text type="secondary">{t('attempts.unsaved')}</Typography.Text>;
  else if (state.status === 'saving')
    content = (
      <Typography.Text type="secondary">
        <LoadingOutlined /> {t('attempts.saving')}
      </Typography.Text>
    );
  else if (state.status === 'saved') content = savedText(state.savedAt);
  else
    content = (
      <span style={{ color: '#a8071a' }}>
        <ExclamationCircleOutlined /> {t('attempts.saveFailed')}
      </span>
    );
  return (
    <div aria-live="polite" className="save-line" data-testid="save-state">
      {content}
    </div>
  );
}

/**
 * Taking a quiz: every question on one page, each answer saved as it changes (typing after a pause), a countdown by
 * the server's clock, and a submit with a confirmation. The server closes the attempt at its deadline; the page
 * then reloads it and shows the result.
 */
export default function Take({ attempt, receivedAt, onClosed }: { attempt: Attempt; receivedAt: number; onClosed: (a?: Attempt) => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [values, setValues] = useState<Record<number, InputValue>>(() => Object.fromEntries(attempt.questions.map((q) => [q.question_id, responseValue(q.kind, q.response, q.blanks)])));
  const [local, setLocal] = useState<Record<number, AnswerKey | undefined>>({});
  const [states, setStates] = useState<Record<number, SaveState>>({});
  const [clock, setClock] = useState(() => ({ offset: clockOffset(attempt.server_now, receivedAt), deadline: attempt.deadline_at }));
  const [submitting, setSubmitting] = useState(false);
  const closing = useRef(false);
  const now = useNow(500);

  const close = (a?: Attempt) => {
    if (closing.current) return;
    closing.current = true;
    onClosed(a);
  };

  const saver = useMemo(
    () =>
      new AnswerSaver(
        async (questionId, response) => {
          const saved = await unwrap(api.PUT('/api/attempts/{id}/answers/{question_id}', { params: { path: { id: attempt.id, question_id: questionId } }, body: { response } }));
          setClock({ offset: clockOffset(saved.server_now, Date.now()), deadline: saved.deadline_at });
          return saved;
        },
        (questionId, state) => {
          setStates((s) => ({ ...s, [questionId]: state }));
          // 409: the attempt closed (time is up, or it was handed in elsewhere): show the result.
          if (state.status === 'error' && isApiError(state.error) && state.error.status === 409) close();
        },
      ),
    [attempt.id],
  );
  useEffect(() => () => saver.dispose(), [saver]);

  // Leaving with an answer not yet on the server asks first.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (saver.unsaved().length) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saver]);

  const remaining = remainingMs(clock.deadline, clock.offset, now);
  useEffect(() => {
    if (remaining > 0) return;
    // Time is up by the server's clock: send what is waiting (the server may still take it), then reload.
    void saver.flush().catch(() => undefined).finally(() => close());
  }, [remaining <= 0]);

  const change = (q: AttemptQuestion, v: InputValue) => {
    setValues((s) => ({ ...s, [q.question_id]: v }));
    const response = buildResponse(q.kind, v, q.blanks);
    if (!response) return;
    setLocal((s) => ({ ...s, [q.question_id]: response }));
    saver.change(q.question_id, response, isTextKind(q.kind));
  };

  const unanswered = unansweredCount(attempt.questions, local);
  const failed = Object.values(states).filter((s) => s.status === 'error').length;

  const submit = () =>
    modal.confirm({
      title: t('attempts.confirmSubmit'),
      content: unanswered > 0 ? t('attempts.unansweredWarning', { count: unanswered }) : t('attempts.allAnswered'),
      okText: t('attempts.submit'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'confirm-submit' } as never,
      onOk: async () => {
        setSubmitting(true);
        try {
          await saver.flush();
        } catch {
          setSubmitting(false);
          if (closing.current) return;
          message.error(t('attempts.flushFailed'));
          return;
        }
        try {
          const a = await unwrap(api.POST('/api/attempts/{id}/submit', { params: { path: { id: attempt.id } } }));
          message.success(t('attempts.submitted'));
          close(a);
        } catch (e) {
          if (isApiError(e) && e.status === 409) close();
          else message.error(errorText(t, e));
        } finally {
          setSubmitting(false);
        }
      },
    });

  const low = remaining < 60_000;
  return (
    <>
      <Affix offsetTop={8}>
        <Card size="small" style={{ marginBottom: 16 }} data-testid="attempt-bar">
          <Flex justify="space-between" align="center" wrap gap={12}>
            <Space size="large" wrap>
              <Statistic
                title={t('attempts.remaining')}
                value={formatRemaining(remaining)}
                prefix={<ClockCircleOutlined />}
                valueStyle={low ? { color: '#cf1322' } : undefined}
                data-testid="countdown"
              />
              <Statistic title={t('attempts.answered')} value={`${attempt.questions.length - unanswered} / ${attempt.questions.length}`} />
              <Typography.Text type="secondary">{t('attempts.deadlineAt', { time: dayjs(clock.deadline).format('HH:mm:ss') })}</Typography.Text>
            </Space>
            <Button type="primary" size="large" loading={submitting} onClick={submit} data-testid="submit-attempt">
              {t('attempts.submit')}
            </Button>
          </Flex>
          {failed > 0 && <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} message={t('attempts.someFailed', { count: failed })} />}
        </Card>
      </Affix>
      <Space direction="vertical" size="middle" style={{ display: 'flex' }}>
        {attempt.questions.map((q) => (
          <Card
            key={q.question_id}
            size="small"
            title={t('attempts.questionTitle', { n: q.position, kind: t(`questionKind.${q.kind}`), points: q.points })}
            extra={<SaveLine state={states[q.question_id]} saved={q.saved_at} />}
            data-testid={`question-${q.position}`}
          >
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{q.stem}</Typography.Paragraph>
            <QuestionInput question={q} value={values[q.question_id]} onChange={(v) => change(q, v)} />
          </Card>
        ))}
      </Space>
    </>
  );
}
