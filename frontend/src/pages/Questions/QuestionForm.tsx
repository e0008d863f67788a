import { useEffect, useState } from 'react';
import { App, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Question, QuestionKind } from '../../api/types';
import { isApiError } from '../../api/problem';
import { errorText, fieldName } from '../../components/errors';
import { DIFFICULTIES, KINDS, answerProblem, fromQuestion, isChoiceKind, removeOption, toQuestionInput, type QuestionValues } from './rules';

const ANSWER_FIELD: Record<QuestionKind, keyof QuestionValues> = { single: 'choice', multiple: 'choices', true_false: 'value', blank: 'blanks', short: 'text' };

export const letter = (i: number) => String.fromCharCode(65 + i);

const EMPTY: Partial<QuestionValues> = { kind: 'single', difficulty: 3, points: 1, options: ['', '', '', ''], choices: [], value: true, blanks: [''], text: '', tags: [] };

/** Server field names (`answer.choice`, `options[2]`, `answer`) → the form field they concern. */
function formField(field: string, kind: QuestionKind): string {
  const f = fieldName(field);
  if (f.startsWith('answer')) return ANSWER_FIELD[kind];
  if (f.startsWith('options')) return 'options';
  return f;
}

/** Creates a bank question, or edits one (`question`); the answer input follows the kind. */
export default function QuestionForm({ open, question, onClose, onSaved }: { open: boolean; question?: Question; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<QuestionValues>();
  const [busy, setBusy] = useState(false);
  // Errors of the two lists (options, blanks), which have no single form field to carry them.
  const [listErrors, setListErrors] = useState<{ options?: string; blanks?: string }>({});
  const kind = Form.useWatch('kind', form) ?? 'single';
  const options: string[] = Form.useWatch('options', form) ?? [];

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(question ? fromQuestion(question) : EMPTY);
    setListErrors({});
  }, [open, question, form]);

  const submit = async () => {
    const checked = await form.validateFields();
    const values: QuestionValues = { ...(form.getFieldsValue(true) as QuestionValues), ...checked };
    const problem = answerProblem(values);
    setListErrors({});
    if (problem) {
      const text = t(`questions.problem.${problem}`);
      if (problem === 'optionsCount' || problem === 'optionEmpty') setListErrors({ options: text });
      else if (problem === 'fillBlanks') setListErrors({ blanks: text });
      else form.setFields([{ name: ANSWER_FIELD[values.kind], errors: [text] }]);
      return;
    }
    setBusy(true);
    try {
      const body = toQuestionInput(values);
      if (question) await unwrap(api.PUT('/api/questions/{id}', { params: { path: { id: question.id } }, body }));
      else await unwrap(api.POST('/api/questions', { body }));
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      const fields = isApiError(e) ? (e.problem.errors ?? []) : [];
      const known = ['kind', 'subject', 'tags', 'difficulty', 'stem', 'explanation', 'points', 'choice', 'choices', 'value', 'text'];
      const onForm = fields.map((fe) => ({ name: formField(fe.field, values.kind), errors: [fe.message] }));
      form.setFields(onForm.filter((f) => known.includes(f.name)).map((f) => ({ ...f, name: f.name as keyof QuestionValues })));
      const listed = (name: string) => onForm.filter((f) => f.name === name).map((f) => f.errors[0]).join('；') || undefined;
      setListErrors({ options: listed('options'), blanks: listed('blanks') });
      if (!onForm.some((f) => known.includes(f.name) || f.name === 'options' || f.name === 'blanks')) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('validation.required') };
  // A validator rather than `required` on radio / checkbox groups: antd would put aria-required on the group's plain <div>.
  const chosen = { validator: (_: unknown, v: unknown) => (v === undefined || v === null || (Array.isArray(v) && v.length === 0) ? Promise.reject(new Error(t('validation.required'))) : Promise.resolve()) };
  const optionChoices = options.map((o, i) => ({ value: i, label: `${letter(i)}${o?.trim() ? `. ${o.trim()}` : ''}` }));

  return (
    <Modal
      open={open}
      title={question ? t('questions.edit') : t('questions.create')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={720}
    >
      <Form form={form} name="question" layout="vertical" initialValues={EMPTY} data-testid="question-form">
        <Form.Item label={t('questions.kind')} name="kind" rules={[chosen]}>
          <Radio.Group optionType="button" options={KINDS.map((k) => ({ value: k, label: t(`questionKind.${k}`) }))} />
        </Form.Item>
        <Space size="middle" wrap style={{ display: 'flex' }}>
          <Form.Item label={t('questions.subject')} name="subject" rules={[{ ...required, whitespace: true }]}>
            <Input maxLength={32} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t('questions.difficulty')} name="difficulty" rules={[required]}>
            <Select style={{ width: 120 }} options={DIFFICULTIES.map((d) => ({ value: d, label: t(`questions.level.${d}`) }))} />
          </Form.Item>
          <Form.Item label={t('questions.points')} name="points" rules={[required]}>
            <InputNumber min={0.5} max={100} step={0.5} />
          </Form.Item>
        </Space>
        <Form.Item label={t('questions.tags')} name="tags" tooltip={t('questions.tagsHelp')}>
          <Select mode="tags" maxCount={10} tokenSeparators={[',', '，']} open={false} suffixIcon={null} aria-label={t('questions.tags')} />
        </Form.Item>
        <Form.Item label={t('questions.stem')} name="stem" rules={[{ ...required, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>

        {isChoiceKind(kind) && (
          <Form.Item label={t('questions.options')} required validateStatus={listErrors.options ? 'error' : undefined} help={listErrors.options}>
            <Form.List name="options">
              {(fields, { add, remove }) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {fields.map((f, i) => (
                    <Flex key={f.key} gap={8} align="center">
                      <Form.Item name={f.name} noStyle>
                        <Input addonBefore={letter(i)} maxLength={500} aria-label={t('questions.optionLabel', { letter: letter(i) })} data-testid={`option-${i}`} />
                      </Form.Item>
                      <Button
                        type="text"
                        icon={<DeleteOutlined />}
                        disabled={fields.length <= 2}
                        aria-label={t('questions.removeOption', { letter: letter(i) })}
                        onClick={() => {
                          form.setFieldsValue(removeOption({ choice: form.getFieldValue('choice'), choices: form.getFieldValue('choices') }, i));
                          remove(f.name);
                        }}
                      />
                    </Flex>
                  ))}
                  {fields.length < 8 && (
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                      {t('questions.addOption')}
                    </Button>
                  )}
                </Space>
              )}
            </Form.List>
          </Form.Item>
        )}

        {kind === 'single' && (
          <Form.Item label={t('questions.answer')} name="choice" rules={[chosen]}>
            <Radio.Group options={optionChoices} />
          </Form.Item>
        )}
        {kind === 'multiple' && (
          <Form.Item label={t('questions.answer')} name="choices" rules={[chosen]}>
            <Checkbox.Group options={optionChoices} />
          </Form.Item>
        )}
        {kind === 'true_false' && (
          <Form.Item label={t('questions.answer')} name="value" rules={[chosen]}>
            <Radio.Group
              options={[
                { value: true, label: t('questions.true') },
                { value: false, label: t('questions.false') },
              ]}
            />
          </Form.Item>
        )}
        {kind === 'blank' && (
          <Form.Item label={t('questions.blanks')} required extra={t('questions.blanksHelp')} validateStatus={listErrors.blanks ? 'error' : undefined} help={listErrors.blanks}>
            <Form.List name="blanks">
              {(fields, { add, remove }) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {fields.map((f, i) => (
                    <Flex key={f.key} gap={8} align="center">
                      <Form.Item name={f.name} noStyle>
                        <Input addonBefore={t('questions.blankN', { n: i + 1 })} aria-label={t('questions.blankN', { n: i + 1 })} placeholder="3.14|π" />
                      </Form.Item>
                      <Button type="text" icon={<DeleteOutlined />} disabled={fields.length <= 1} aria-label={t('questions.removeBlank', { n: i + 1 })} onClick={() => remove(f.name)} />
                    </Flex>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                    {t('questions.addBlank')}
                  </Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
        )}
        {kind === 'short' && (
          <Form.Item label={t('questions.reference')} name="text" extra={t('questions.referenceHelp')}>
            <Input.TextArea rows={4} maxLength={5000} />
          </Form.Item>
        )}

        <Form.Item label={t('questions.explanation')} name="explanation">
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        {question && !question.active && <Typography.Text type="warning">{t('questions.retiredHint')}</Typography.Text>}
      </Form>
    </Modal>
  );
}
