import { Badge, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { AttemptStatus as AttemptState, Quiz } from '../../api/types';
import { quizPhase } from './rules';

const PHASE_BADGE = { draft: 'default', upcoming: 'warning', open: 'processing', closed: 'default' } as const;

/** 草稿 / 未开始 / 进行中 / 已截止. */
export function QuizPhase({ quiz }: { quiz: Pick<Quiz, 'status' | 'opens_at' | 'closes_at'> }) {
  const { t } = useTranslation();
  const phase = quizPhase(quiz);
  return <Badge status={PHASE_BADGE[phase]} text={t(`quizPhase.${phase}`)} />;
}

export function QuizWindow({ quiz }: { quiz: Pick<Quiz, 'opens_at' | 'closes_at'> }) {
  return (
    <span>
      {dayjs(quiz.opens_at).format('YYYY-MM-DD HH:mm')} ~ {dayjs(quiz.closes_at).format('YYYY-MM-DD HH:mm')}
    </span>
  );
}

export function RoleTag({ role }: { role: string }) {
  const { t } = useTranslation();
  return <Tag>{t(`quizRole.${role}`, { defaultValue: role })}</Tag>;
}

/** 作答中 / 待阅卷 / 已评分, with the score once there is one. */
export function AttemptStatus({ status, score, passed }: { status: AttemptState; score?: number | null; passed?: boolean | null }) {
  const { t } = useTranslation();
  const badge = status === 'graded' ? (passed ? 'success' : 'error') : status === 'grading' ? 'warning' : 'processing';
  const text = status === 'graded' ? `${t(passed ? 'attempts.passed' : 'attempts.failed')} · ${score ?? 0}` : t(`attemptStatus.${status}`, { defaultValue: status });
  return <Badge status={badge} text={text} />;
}
