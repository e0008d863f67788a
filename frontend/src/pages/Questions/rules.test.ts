import { describe, expect, it } from 'vitest';
import type { Question } from '../../api/types';
import { answerProblem, answerSummary, fromQuestion, removeOption, toQuestionInput } from './rules';

const base = { subject: ' 数学 ', tags: [' 分数 ', ''], difficulty: 2, stem: ' 1/2 + 1/4 = ? ', explanation: ' 通分 ', points: 2 };

describe('question form', () => {
  it('builds the answer key from the field its kind uses', () => {
    expect(toQuestionInput({ ...base, kind: 'single', options: [' 3/4 ', '2/6'], choice: 0 })).toEqual({
      kind: 'single',
      subject: '数学',
      tags: ['分数'],
      difficulty: 2,
      stem: '1/2 + 1/4 = ?',
      options: ['3/4', '2/6'],
      answer: { choice: 0 },
      explanation: '通分',
      points: 2,
    });
    expect(toQuestionInput({ ...base, kind: 'multiple', options: ['a', 'b', 'c'], choices: [2, 0] }).answer).toEqual({ choices: [0, 2] });
    expect(toQuestionInput({ ...base, kind: 'true_false', options: ['x', 'y'], value: false })).toMatchObject({ options: [], answer: { value: false } });
    expect(toQuestionInput({ ...base, kind: 'blank', blanks: [' 0.75 | 3/4 |', '2'] }).answer).toEqual({ blanks: ['0.75|3/4', '2'] });
    expect(toQuestionInput({ ...base, kind: 'short', text: ' 先通分 ', owner_code: ' 510104 ' })).toMatchObject({ answer: { text: '先通分' }, owner_code: '510104' });
  });

  it('checks the answer before sending', () => {
    expect(answerProblem({ ...base, kind: 'single', options: ['a'], choice: 0 })).toBe('optionsCount');
    expect(answerProblem({ ...base, kind: 'single', options: ['a', ' '], choice: 0 })).toBe('optionEmpty');
    expect(answerProblem({ ...base, kind: 'single', options: ['a', 'b'] })).toBe('pickOne');
    expect(answerProblem({ ...base, kind: 'multiple', options: ['a', 'b'], choices: [] })).toBe('pickSome');
    expect(answerProblem({ ...base, kind: 'blank', blanks: ['x', ' | '] })).toBe('fillBlanks');
    expect(answerProblem({ ...base, kind: 'short' })).toBeNull();
  });

  it('round-trips a bank question and summarises its key', () => {
    const q = { id: 1, kind: 'multiple', subject: '数学', tags: [], difficulty: 3, stem: 's', options: ['a', 'b', 'c'], answer: { choices: [0, 2] }, explanation: '', points: 1 } as unknown as Question;
    expect(toQuestionInput(fromQuestion(q))).toMatchObject({ kind: 'multiple', options: ['a', 'b', 'c'], answer: { choices: [0, 2] } });
    const words = { true: '对', false: '错' };
    expect(answerSummary(q, words)).toBe('A C');
    expect(answerSummary({ kind: 'true_false', answer: { value: false } }, words)).toBe('错');
    expect(answerSummary({ kind: 'blank', answer: { blanks: ['3.14|π', '2'] } }, words)).toBe('3.14 / π ; 2');
  });

  it('removing an option keeps the key pointing at the same options', () => {
    expect(removeOption({ choice: 3, choices: [0, 1, 3] }, 1)).toEqual({ choice: 2, choices: [0, 2] });
    expect(removeOption({ choice: 1 }, 1)).toEqual({ choice: undefined, choices: [] });
  });
});
