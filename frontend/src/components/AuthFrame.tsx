import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import LangSwitch from './LangSwitch';

/** Frame of the signed-out pages: brand, a card, the language switch. */
export default function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <div className="auth-top">
        <LangSwitch />
      </div>
      <main>
        <Card className="auth-card">
          <div className="auth-brand">
            <span className="brand-mark" aria-hidden>
              研
            </span>
            <Typography.Title level={1}>{t('app.name')}</Typography.Title>
          </div>
          <Typography.Text type="secondary" className="auth-sub">
            {title}
          </Typography.Text>
          {children}
        </Card>
      </main>
      <footer className="auth-footer">{t('app.footer')}</footer>
    </div>
  );
}
