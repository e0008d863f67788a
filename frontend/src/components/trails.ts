import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { api, unwrap } from '../api/client';
import type { Crumb } from './Page';

/** The program a detail page belongs to (the same cache entry as the program's own page). */
export function useProgramName(id: number | undefined): string | undefined {
  const { data } = useQuery({
    queryKey: ['program', id],
    queryFn: () => unwrap(api.GET('/api/programs/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
    retry: false,
  });
  return data?.name;
}

/** 培训项目 › <the program>: the start of the trail of every page inside a program. */
export function programTrail(t: TFunction, id: number | undefined, name: string | undefined): Crumb[] {
  const programs: Crumb = { title: t('menu.programs'), to: '/programs' };
  return id ? [programs, { title: name ?? t('menu.programDetail'), to: `/programs/${id}` }] : [programs];
}

/** 个人中心 › …: the pages reached from the profile. */
export function profileTrail(t: TFunction): Crumb[] {
  return [{ title: t('menu.profile'), to: '/profile' }];
}
