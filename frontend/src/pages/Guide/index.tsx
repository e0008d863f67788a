import { useEffect, useState } from 'react';
import { Button, Result, Typography } from 'antd';
import { Link, Navigate, useLocation, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Markdown } from '../../guide/markdown';
import { guideLanguage, type GuideLanguage } from '../../guide/anchors';
import { Loading } from '../../components/States';

// Each language is its own chunk, part of the build: the guide opens without any server round trip of its own.
const SOURCES: Record<GuideLanguage, () => Promise<{ default: string }>> = {
  'zh-CN': () => import('../../../../docs/guide/zh-CN.md?raw'),
  en: () => import('../../../../docs/guide/en.md?raw'),
};

function isGuideLanguage(v: string | undefined): v is GuideLanguage {
  return v === 'zh-CN' || v === 'en';
}

/** The user guide (docs/guide/*.md), public like the login page so it helps before signing in too. */
export default function GuidePage() {
  const { t, i18n } = useTranslation();
  const { lang } = useParams();
  const { hash } = useLocation();
  const [source, setSource] = useState<{ lang: GuideLanguage; text: string } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!isGuideLanguage(lang)) return;
    let live = true;
    SOURCES[lang]()
      .then((m) => live && setSource({ lang, text: m.default }))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [lang]);

  // The section named in the link, once its text is there.
  useEffect(() => {
    if (source && hash) document.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView();
  }, [source, hash]);

  if (!isGuideLanguage(lang)) return <Navigate to={`/guide/${guideLanguage(i18n.language)}`} replace />;
  if (failed) return <Result status="warning" title={t('common.loadFailed')} extra={<Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>} />;
  if (source?.lang !== lang) return <Loading />;
  const other: GuideLanguage = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <div className="guide" lang={lang === 'en' ? 'en' : 'zh-CN'}>
      <nav className="guide-nav no-print" aria-label={t('guide.nav')}>
        <Link to="/">{t('guide.backToApp')}</Link>
        <Link to={`/guide/${other}${hash}`} lang={other === 'en' ? 'en' : 'zh-CN'}>
          {other === 'en' ? 'English' : '中文'}
        </Link>
      </nav>
      <main>
        <Typography>
          <Markdown source={source.text} />
        </Typography>
      </main>
    </div>
  );
}
