import { useEffect, useState } from 'react';
import { App, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { School, SchoolInput } from '../../api/types';
import { applyFieldErrors, errorText } from '../../components/errors';
import { countiesOf, stageOptions, urbanRuralOptions, useRegionTree } from '../../components/reference';

const FIELDS = ['code', 'name', 'county_code', 'stage', 'urban_rural', 'teaching_point', 'address'];

/** Create (school undefined) or edit a school; server field errors land on the fields. */
export default function SchoolForm({ open, school, onClose, onSaved }: { open: boolean; school?: School; onClose: () => void; onSaved: (s: School) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SchoolInput>();
  const [busy, setBusy] = useState(false);
  const regions = useRegionTree();
  const counties = countiesOf(regions.data);

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (school) form.setFieldsValue(school);
    }
  }, [open, school, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const body = { ...values, teaching_point: values.teaching_point ?? false };
      const saved = school
        ? await unwrap(api.PUT('/api/schools/{id}', { params: { path: { id: school.id } }, body }))
        : await unwrap(api.POST('/api/schools', { body }));
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      if (!applyFieldErrors(form, e, FIELDS)) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t(school ? 'schools.edit' : 'schools.create')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" initialValues={{ urban_rural: 'urban', teaching_point: false }} preserve={false}>
        <Form.Item label={t('schools.code')} name="code" extra={t('schools.codeHelp')} rules={[{ required: true, message: t('validation.required') }, { pattern: /^\d{10}$/, message: t('schools.codeInvalid') }]}>
          <Input className="mono" maxLength={10} disabled={!!school} />
        </Form.Item>
        <Form.Item label={t('schools.name')} name="name" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label={t('schools.county')} name="county_code" rules={[{ required: true, message: t('validation.required') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={regions.isPending}
            options={counties.map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))}
          />
        </Form.Item>
        <Form.Item label={t('schools.stage')} name="stage" rules={[{ required: true, message: t('validation.required') }]}>
          <Select options={stageOptions(t)} />
        </Form.Item>
        <Form.Item label={t('schools.urbanRural')} name="urban_rural" rules={[{ required: true, message: t('validation.required') }]}>
          <Select options={urbanRuralOptions(t)} />
        </Form.Item>
        <Form.Item label={t('schools.address')} name="address">
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item label={t('schools.teachingPoint')} name="teaching_point" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
