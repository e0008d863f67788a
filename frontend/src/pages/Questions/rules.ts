import type { AnswerKey, Question, QuestionInput, QuestionKind } from '../../api/types';

export const KINDS: QuestionKind[] = ['single', 'multiple', 'true_false', 'blank', 'short'];
export const DIFFICULTIES = [1, 2, 3, 4, 5];

export function isChoiceKind(kind: QuestionKind | undefined): boolean {
  return kind === 'single' || kind === 'multiple';
}

/** The question form's values: the answer is held in the field its kind uses. */
export interface QuestionValues {
  kind: QuestionKind;
  subject: string;
  tags?: string[];
  difficulty: number;
  stem: string;
  options?: string[];
  choice?: number;
  choices?: number[];
  value?: boolean;
  blanks?: string[];
  text?: string;
  explanation?: string;
  points?: number;
  owner_code?: string;
}

/** Form values → the API body: options only for choice kinds, the answer from the kind's own field. */
export function toQuestionInput(v: QuestionValues): QuestionInput {
  const choice = isChoiceKind(v.kind);
  let answer: AnswerKey;
  switch (v.kind) {
    case 'single':
      answer = { choice: v.choice ?? -1 };
      break;
    case 'multiple':
      answer = { choices: [...(v.choices ?? [])].sort((a, b) => a - b) };
      break;
    case 'true_false':
      answer = { value: !!v.value };
      break;
    case 'blank':
      answer = { blanks: (v.blanks ?? []).map((b) => b.split('|').map((s) => s.trim()).filter(Boolean).join('|')) };
      break;
    default:
      answer = { text: (v.text ?? '').trim() };
  }
  const body: QuestionInput = {
    kind: v.kind,
    subject: v.subject.trim(),
    tags: (v.tags ?? []).map((t) => t.trim()).filter(Boolean),
    difficulty: v.difficulty,
    stem: v.stem.trim(),
    options: choice ? (v.options ?? []).map((o) => o.trim()) : [],
    answer,
    explanation: (v.explanation ?? '').trim(),
    points: v.points ?? 1,
  };
  if (v.owner_code?.trim()) body.owner_code = v.owner_code.trim();
  return body;
}

/** A bank question → the form's values (for editing). */
export function fromQuestion(q: Question): QuestionValues {
  return {
    kind: q.kind,
    subject: q.subject,
    tags: q.tags,
    difficulty: q.difficulty,
    stem: q.stem,
    options: isChoiceKind(q.kind) ? q.options : ['', '', '', ''],
    choice: q.answer.choice ?? undefined,
    choices: q.answer.choices ?? [],
    value: q.answer.value ?? true,
    blanks: q.answer.blanks?.length ? q.answer.blanks : [''],
    text: q.answer.text ?? '',
    explanation: q.explanation,
    points: q.points,
  };
}

/** What is wrong with the answer before sending (locale key under `questions.`), or null. */
export function answerProblem(v: QuestionValues): string | null {
  const n = v.options?.length ?? 0;
  if (isChoiceKind(v.kind)) {
    if (n < 2 || n > 8) return 'optionsCount';
    if (v.options!.some((o) => !o?.trim())) return 'optionEmpty';
  }
  switch (v.kind) {
    case 'single':
      return typeof v.choice === 'number' && v.choice >= 0 && v.choice < n ? null : 'pickOne';
    case 'multiple':
      return v.choices?.length && v.choices.every((c) => c >= 0 && c < n) ? null : 'pickSome';
    case 'true_false':
      return typeof v.value === 'boolean' ? null : 'pickTrueFalse';
    case 'blank':
      return v.blanks?.length && v.blanks.every((b) => b.split('|').some((s) => s.trim())) ? null : 'fillBlanks';
    default:
      return null;
  }
}

/** The answer key in one line, for the bank list: "B", "A C D", "对", "3.14 / π ; 2", the start of a reference. */
export function answerSummary(q: Pick<Question, 'kind' | 'answer'>, words: { true: string; false: string }): string {
  const letter = (i: number) => String.fromCharCode(65 + i);
  const a = q.answer;
  switch (q.kind) {
    case 'single':
      return typeof a.choice === 'number' ? letter(a.choice) : '—';
    case 'multiple':
      return (a.choices ?? []).map(letter).join(' ') || '—';
    case 'true_false':
      return a.value ? words.true : words.false;
    case 'blank':
      return (a.blanks ?? []).map((b) => b.split('|').join(' / ')).join(' ; ') || '—';
    default:
      return a.text ? (a.text.length > 24 ? `${a.text.slice(0, 24)}…` : a.text) : '—';
  }
}

/** Removing a choice option drops it from the key and shifts the later indexes down with their options. */
export function removeOption(v: Pick<QuestionValues, 'choice' | 'choices'>, index: number): Pick<QuestionValues, 'choice' | 'choices'> {
  const shift = (i: number) => (i > index ? i - 1 : i);
  return {
    choice: v.choice === undefined || v.choice === index ? undefined : shift(v.choice),
    choices: (v.choices ?? []).filter((c) => c !== index).map(shift),
  };
}
