import { matchPath } from 'react-router';
import { appRoutes } from '../routes';
import type { Language } from '../i18n';

/** The guide's file name for a UI language (docs/guide/<name>.md). */
export type GuideLanguage = 'zh-CN' | 'en';

export function guideLanguage(language: Language | string): GuideLanguage {
  return language.startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * The guide section of a route pattern: its literal segments joined by '-', with '-detail' when it ends on an
 * id. `/teachers/:id` → `teachers-detail`, `/programs/:id/report` → `programs-report`. Derived, not
 * declared, so a new page cannot forget its anchor: a test checks each one has a section in both guides.
 */
export function helpAnchor(pattern: string): string {
  const segments = pattern.split('/').filter(Boolean);
  const words = segments.filter((s) => !s.startsWith(':'));
  const detail = segments.at(-1) === ':id' ? ['detail'] : [];
  return [...words, ...detail].join('-') || 'home';
}

/** The guide section for the page at `pathname`, or null when no app route matches it. */
export function helpAnchorFor(pathname: string): string | null {
  // Literal routes first: /quizzes/new must not be taken for /quizzes/:id.
  const literalFirst = [...appRoutes].sort((a, b) => Number(a.path.includes(':')) - Number(b.path.includes(':')));
  const route = literalFirst.find((r) => matchPath(r.path, pathname));
  return route ? helpAnchor(route.path) : null;
}

export function guideHref(language: string, anchor: string | null): string {
  return `/guide/${guideLanguage(language)}${anchor ? `#${anchor}` : ''}`;
}
