import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import enUS from './locales/en-US.json';

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANG_KEY = 'yanxiu.lang';

export function storedLanguage(): Language {
  const v = typeof localStorage !== 'undefined' ? localStorage.getItem(LANG_KEY) : null;
  return (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Language) : 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(lang: Language): void {
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export default i18n;

i18n.on('languageChanged', () => {
  if (typeof document !== 'undefined') document.title = `${i18n.t('app.name')} · ${i18n.t('login.subtitle')}`;
});
