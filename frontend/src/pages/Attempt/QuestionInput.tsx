import { Checkbox, Input, Radio, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttemptQuestion } from '../../api/types';
import type { InputValue } from './rules';

export const letter = (i: number) => String.fromCharCode(65 + i);

/** The answer input of one question, by kind: radio, checkboxes, 对/错, one input per blank, or a text area. */
export default function QuestionInput({ question: q, value, onChange, disabled }: { question: AttemptQuestion; value: InputValue; onChange: (v: InputValue) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const label = t('attempts.answerOf', { n: q.position });
  switch (q.kind) {
    case 'single':
      return (
        <Radio.Group value={value} onChange={(e) => onChange(e.target.value as number)} disabled={disabled} aria-label={label}>
          <Space direction="vertical">
            {q.options.map((o, i) => (
              <Radio key={o.key} value={o.key}>
                {letter(i)}. {o.text}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      );
    case 'multiple':
      return (
        <Checkbox.Group value={(value as number[]) ?? []} onChange={(v) => onChange(v as number[])} disabled={disabled} aria-label={label}>
          <Space direction="vertical">
            {q.options.map((o, i) => (
              <Checkbox key={o.key} value={o.key}>
                {letter(i)}. {o.text}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      );
    case 'true_false':
      return (
        <Radio.Group value={value} onChange={(e) => onChange(e.target.value as boolean)} disabled={disabled} aria-label={label}>
          <Radio value={true}>{t('questions.true')}</Radio>
          <Radio value={false}>{t('questions.false')}</Radio>
        </Radio.Group>
      );
    case 'blank': {
      const list = (value as string[]) ?? [];
      return (
        <Space direction="vertical" style={{ width: '100%' }}>
          {Array.from({ length: q.blanks }, (_, i) => (
            <Input
              key={i}
              addonBefore={t('questions.blankN', { n: i + 1 })}
              aria-label={`${label} ${t('questions.blankN', { n: i + 1 })}`}
              value={list[i] ?? ''}
              maxLength={500}
              disabled={disabled}
              onChange={(e) => onChange(Array.from({ length: q.blanks }, (_, j) => (j === i ? e.target.value : (list[j] ?? ''))))}
              style={{ maxWidth: 420 }}
            />
          ))}
        </Space>
      );
    }
    default:
      return <Input.TextArea rows={5} maxLength={10000} showCount value={(value as string) ?? ''} disabled={disabled} aria-label={label} onChange={(e) => onChange(e.target.value)} />;
  }
}
