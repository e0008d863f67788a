import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/** New password + confirmation, with the same minimum the server enforces as a first check. */
export default function PasswordFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        label={t('password.new')}
        name="new_password"
        extra={t('password.rule')}
        rules={[
          { required: true, message: t('password.newRequired') },
          { min: 8, message: t('password.tooShort') },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('password.confirm')}
        name="confirm"
        dependencies={['new_password']}
        rules={[
          { required: true, message: t('password.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, v) => (!v || getFieldValue('new_password') === v ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
