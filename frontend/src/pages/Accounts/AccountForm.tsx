import { useEffect, useState } from 'react';
import { App, Form, Input, InputNumber, Modal, Select, TreeSelect } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Account, AccountCreate, Role } from '../../api/types';
import { applyFieldErrors, errorText } from '../../components/errors';
import { toTreeSelect, useRegionTree } from '../../components/reference';
import { useAuth } from '../../auth/AuthContext';
import { grantableRoles } from './roles';

const SCHOOL_SCOPED = new Set(['school_admin', 'teacher']);
/** Region admins are bound to a node of their own level; the three system administrators to the province. */
const LEVEL_OF_ROLE: Partial<Record<Role, string>> = {
  province_admin: 'province',
  city_admin: 'city',
  county_admin: 'county',
  system_admin: 'province',
  security_admin: 'province',
  audit_admin: 'province',
};
const FIELDS = ['username', 'password', 'display_name', 'email', 'role', 'scope_code', 'teacher_id'];

function SchoolCodePicker({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const { t } = useTranslation();
  const [keyword, setKeyword] = useState('');
  const { data, isFetching } = useQuery({
    queryKey: ['schools', 'code-picker', keyword],
    queryFn: () => unwrap(api.GET('/api/schools', { params: { query: { keyword: keyword || undefined, page: 1, page_size: 20 } } })),
  });
  return (
    <Select
      id={id}
      showSearch
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={setKeyword}
      loading={isFetching}
      placeholder={t('teachers.schoolSearch')}
      options={(data?.items ?? []).map((s) => ({ value: s.code, label: `${s.name} (${s.code})` }))}
    />
  );
}

type Values = AccountCreate & { confirm?: string };

export default function AccountForm({ open, account, onClose, onSaved }: { open: boolean; account?: Account; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const regions = useRegionTree();
  const role = Form.useWatch('role', form);
  const { access } = useAuth();
  const roles = grantableRoles(access);

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (account) {
        const r = account.roles[0];
        form.setFieldsValue({ display_name: account.display_name, email: account.email, role: r?.role, scope_code: r?.scope_code });
      }
    }
  }, [open, account, form]);

  const submit = async () => {
    const { confirm: _c, ...values } = await form.validateFields();
    setBusy(true);
    try {
      if (account) {
        await unwrap(
          api.PUT('/api/accounts/{id}', {
            params: { path: { id: account.id } },
            body: {
              display_name: values.display_name,
              email: values.email || undefined,
              roles: values.role && values.scope_code ? [{ role: values.role, scope_code: values.scope_code }] : undefined,
            },
          }),
        );
      } else {
        await unwrap(api.POST('/api/accounts', { body: { ...values, email: values.email || undefined } }));
      }
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      if (!applyFieldErrors(form, e, FIELDS)) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  const required = { required: true, message: t('validation.required') };

  return (
    <Modal
      open={open}
      title={t(account ? 'accounts.edit' : 'accounts.create')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={t('accounts.username')} name="username" rules={account ? [] : [required, { pattern: /^[A-Za-z0-9_.@-]{3,64}$/, message: t('accounts.usernameRule') }]}>
          <Input disabled={!!account} placeholder={account?.username} autoComplete="off" />
        </Form.Item>
        {!account && (
          <Form.Item label={t('accounts.initialPassword')} name="password" extra={t('password.rule')} rules={[required, { min: 8, message: t('password.tooShort') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item label={t('accounts.displayName')} name="display_name" rules={[required]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label={t('accounts.email')} name="email" rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('accounts.role')} name="role" rules={[required]}>
          <Select
            options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            onChange={() => form.setFieldValue('scope_code', undefined)}
            data-testid="role-select"
          />
        </Form.Item>
        <Form.Item label={t('accounts.scope')} name="scope_code" rules={[required]} extra={role && t(SCHOOL_SCOPED.has(role) ? 'accounts.scopeSchool' : 'accounts.scopeRegion')}>
          {role && SCHOOL_SCOPED.has(role) ? (
            <SchoolCodePicker />
          ) : (
            <TreeSelect treeData={toTreeSelect(regions.data, role ? LEVEL_OF_ROLE[role] : undefined)} showSearch treeNodeFilterProp="title" loading={regions.isPending} treeDefaultExpandAll={false} data-testid="scope-select" />
          )}
        </Form.Item>
        {role === 'teacher' && !account && (
          <Form.Item label={t('accounts.teacherId')} name="teacher_id" extra={t('accounts.teacherIdHelp')}>
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
