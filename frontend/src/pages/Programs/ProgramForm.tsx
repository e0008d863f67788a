import { useEffect, useState } from 'react';
import { App, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { HourCategory, Program, ProgramInput, ProgramLevel } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { applyFieldErrors, errorText } from '../../components/errors';
import ScopePicker from '../../components/ScopePicker';

export const LEVELS: ProgramLevel[] = ['national', 'provincial', 'city', 'county', 'school'];
export const CATEGORIES: HourCategory[] = ['centralized', 'online', 'ict', 'regional', 'school_based', 'practice'];

interface Values {
  name: string;
  level: ProgramLevel;
  kind: string;
  year: number;
  enrolment_mode: 'assigned' | 'free';
  rule: 'cumulative' | 'designated';
  caps?: Partial<Record<HourCategory, number | null>>;
  required_hours: number;
  /** 能力点 to pass (0 = none) */
  competencies?: number | null;
  owner_code: string;
  seats: number;
}

/** Form values → the API body: designated caps only for the categories given. */
export function toProgramInput(v: Values): ProgramInput {
  const caps =
    v.rule === 'designated'
      ? CATEGORIES.filter((c) => typeof v.caps?.[c] === 'number').map((c) => ({ category: c, hours: v.caps![c] as number }))
      : [];
  return {
    name: v.name.trim(),
    level: v.level,
    kind: v.kind.trim(),
    year: v.year,
    enrolment_mode: v.enrolment_mode,
    hour_rule: { kind: v.rule, caps },
    completion: { required_hours: v.required_hours, minimums: [], competencies: v.competencies ?? 0 },
    owner_code: v.owner_code.trim(),
    seats: v.seats,
  };
}

/** Server field names (`hour_rule.caps`, `completion.required_hours`) → this form's fields. */
function mapField(e: unknown): unknown {
  const p = (e as { problem?: { errors?: { field: string; message: string }[] } }).problem;
  p?.errors?.forEach((fe) => {
    fe.field = fe.field.replace(/^(body[./])?completion[./]required_hours$/, 'required_hours').replace(/^(body[./])?completion[./]competencies$/, 'competencies').replace(/^(body[./])?hour_rule([./].*)?$/, 'rule');
  });
  return e;
}

const FIELDS = ['name', 'level', 'kind', 'year', 'enrolment_mode', 'rule', 'required_hours', 'competencies', 'owner_code', 'seats'];

export default function ProgramForm({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (p: Program) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const rule = Form.useWatch('rule', form);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  // The owner defaults to my own node, also when the form opened before I was known.
  const myNode = me?.roles[0]?.scope_code;
  useEffect(() => {
    if (open && myNode && !form.getFieldValue('owner_code')) form.setFieldValue('owner_code', myNode);
  }, [open, myNode, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const saved = await unwrap(api.POST('/api/programs', { body: toProgramInput(values) }));
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      if (!applyFieldErrors(form, mapField(e), FIELDS)) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <Modal
      open={open}
      title={t('programs.create')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={640}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          level: 'provincial',
          kind: t('programs.kindDefault'),
          year: new Date().getFullYear(),
          enrolment_mode: 'assigned',
          rule: 'cumulative',
          required_hours: 50,
          competencies: 0,
          owner_code: me?.roles[0]?.scope_code ?? '',
          seats: 100,
        }}
      >
        <Form.Item label={t('programs.name')} name="name" rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={128} />
        </Form.Item>
        <Space size="middle" wrap style={{ display: 'flex' }}>
          <Form.Item label={t('programs.level')} name="level" rules={[required]} style={{ minWidth: 160 }}>
            <Select options={LEVELS.map((l) => ({ value: l, label: t(`programLevel.${l}`) }))} />
          </Form.Item>
          <Form.Item label={t('programs.year')} name="year" rules={[required]}>
            <InputNumber min={2000} max={2100} precision={0} />
          </Form.Item>
          <Form.Item label={t('programs.mode')} name="enrolment_mode" rules={[required]}>
            <Radio.Group optionType="button" options={(['assigned', 'free'] as const).map((m) => ({ value: m, label: t(`enrolmentMode.${m}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item label={t('programs.kind')} name="kind" rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item label={t('programs.hourRule')} name="rule" rules={[required]}>
          <Radio.Group options={(['cumulative', 'designated'] as const).map((m) => ({ value: m, label: t(`hourRule.${m}`) }))} />
        </Form.Item>
        {rule === 'designated' && (
          <Form.Item label={t('programs.caps')} extra={t('programs.capsHelp')}>
            <Space wrap>
              {CATEGORIES.map((c) => (
                <Form.Item key={c} name={['caps', c]} noStyle>
                  <InputNumber min={0} max={10000} step={0.5} addonBefore={t(`hourCategory.${c}`)} aria-label={t(`hourCategory.${c}`)} style={{ width: 200 }} />
                </Form.Item>
              ))}
            </Space>
          </Form.Item>
        )}
        <Space size="middle" wrap style={{ display: 'flex' }}>
          <Form.Item label={t('programs.requiredHours')} name="required_hours" rules={[required]}>
            <InputNumber min={0} max={10000} step={0.5} />
          </Form.Item>
          <Form.Item label={t('programs.competencies')} name="competencies" tooltip={t('programs.competenciesHelp')}>
            <InputNumber min={0} max={30} precision={0} />
          </Form.Item>
          <Form.Item label={t('programs.seats')} name="seats" rules={[required]}>
            <InputNumber min={0} max={10000000} precision={0} />
          </Form.Item>
          <Form.Item label={t('programs.ownerCode')} name="owner_code" rules={[{ ...required, whitespace: true }]} tooltip={t('programs.ownerHelp')} style={{ minWidth: 240 }}>
            <ScopePicker data-testid="program-owner" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
