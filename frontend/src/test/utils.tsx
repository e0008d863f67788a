import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { QueryClient } from '@tanstack/react-query';
import { Providers } from '../App';

export function renderWithProviders(ui: ReactElement, { route = '/' }: { route?: string } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MemoryRouter initialEntries={[route]}>
      <Providers client={client}>{ui}</Providers>
    </MemoryRouter>,
  );
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

export function problem(status: number, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return json({ type: 'about:blank', title: code, status, code, errors: [], ...extra }, status, headers);
}

type Handler = (req: Request) => Response | Promise<Response>;

/** Stubs global fetch with a route table `"METHOD /path"` → handler; records every request. */
export function mockApi(routes: Record<string, Handler>) {
  const calls: Request[] = [];
  const fetchMock = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    calls.push(req.clone());
    const key = `${req.method} ${new URL(req.url).pathname}`;
    const handler = routes[key];
    if (!handler) return json({ status: 404, code: 'not_found', title: `unmocked ${key}` }, 404);
    return handler(req);
  };
  globalThis.fetch = fetchMock as typeof fetch;
  return calls;
}

export const adminMe = {
  id: 1,
  username: 'admin',
  display_name: '省管理员',
  email: 'admin@example.com',
  roles: [{ role: 'province_admin', scope_code: '510000', scope_name: '四川省' }],
  permissions: ['region.read', 'school.read', 'school.write', 'teacher.read', 'teacher.write', 'teacher.reveal', 'account.read', 'account.write', 'import.run', 'export.run', 'audit.read'],
};
