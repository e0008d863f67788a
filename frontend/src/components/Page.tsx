import type { ReactNode } from 'react';
import { Breadcrumb, Button, Flex, Typography } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { guideHref, helpAnchorFor } from '../guide/anchors';

/** One step of a detail page's trail: the list or the parent it was reached from, by name. */
export interface Crumb {
  title: ReactNode;
  to?: string;
}

interface PageProps {
  title: ReactNode;
  subTitle?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  /** Where this page sits, outermost first; the page's own title ends the trail. */
  trail?: Crumb[];
  /** What a printout names as its scope (a region, a school, a program …) beside the date it was printed. */
  printScope?: ReactNode;
}

/**
 * Page frame: the trail of a detail page, a title row with actions and a link to this page's section of the user
 * guide, then the content. A printout leaves out the actions and gains a line with the scope and the date.
 */
export default function Page({ title, extra, children, subTitle, trail, printScope }: PageProps) {
  return (
    <div className="page">
      {trail && trail.length > 0 && <Trail trail={trail} current={title} />}
      <Flex justify="space-between" align="center" wrap gap={12} className="page-header">
        <div>
          <Typography.Title level={1} className="page-title">
            {title}
          </Typography.Title>
          {subTitle && <Typography.Text type="secondary">{subTitle}</Typography.Text>}
          <PrintLine scope={printScope} />
        </div>
        <Flex gap={8} wrap className="page-actions">
          {extra}
          <HelpLink />
        </Flex>
      </Flex>
      {children}
    </div>
  );
}

function Trail({ trail, current }: { trail: Crumb[]; current: ReactNode }) {
  const { t } = useTranslation();
  const items = [...trail.map((c) => ({ title: c.to ? <Link to={c.to}>{c.title}</Link> : c.title })), { title: current }];
  return <Breadcrumb className="page-trail" items={items} aria-label={t('page.trail')} />;
}

function HelpLink() {
  const { t, i18n } = useTranslation();
  const { pathname } = useLocation();
  return (
    <Button
      type="text"
      icon={<QuestionCircleOutlined />}
      href={guideHref(i18n.language, helpAnchorFor(pathname))}
      target="_blank"
      rel="noopener"
      className="page-help"
      data-testid="page-help"
    >
      {t('page.help')}
    </Button>
  );
}

/** Shown on paper only: what the printout covers and when it was taken. */
function PrintLine({ scope }: { scope?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="print-only page-print-line">
      {scope && <span>{scope} · </span>}
      {t('page.printedAt', { at: dayjs().format('YYYY-MM-DD HH:mm') })}
    </div>
  );
}
