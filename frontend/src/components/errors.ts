import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { CODE_BY_STATUS, isApiError, isNetworkError, type ApiError } from '../api/problem';

/** Codes whose locale text states the wait the server asked for (its `Retry-After`), which its detail leaves out. */
const WAIT_CODES = new Set(['account_locked', 'rate_limited']);

/** The locale's generic text for a status when the server sent neither a detail nor a code this app knows. */
function statusText(t: TFunction, status: number): string {
  const code = status >= 500 ? 'server_error' : (CODE_BY_STATUS[status] ?? 'unknown_error');
  return t(`errors.${code}`);
}

/**
 * What the user reads for an error. The server's `detail` comes first: it names the actual reason (该报名不能撤销, not
 * a generic 数据冲突) and is already in the user's language (every request carries Accept-Language). A wait the
 * server asked for is spelled out with its time; the locale's generic text for the code or status is used only
 * when the server sent no detail, and a request that never reached the server says so.
 */
export function errorText(t: TFunction, e: unknown): string {
  if (!isApiError(e) || isNetworkError(e)) return t('errors.network_error');
  const vars = { minutes: e.retryAfter ? Math.ceil(e.retryAfter / 60) : 15, seconds: e.retryAfter ?? 60 };
  const own = t(`errors.${e.code}`, { defaultValue: '', ...vars });
  if (e.retryAfter && WAIT_CODES.has(e.code) && own) return own;
  const detail = e.problem.detail?.trim();
  if (detail) return detail;
  return own || e.problem.title?.trim() || statusText(t, e.status);
}

/** The backend may name a field `code`, `body.code` or `/code`; the form knows it as `code`. */
export function fieldName(field: string): string {
  return field.replace(/^(body|query|path)[./]/, '').replace(/^\//, '').replace(/\//g, '.');
}

/**
 * Puts problem+json `errors[].field` messages on the matching form fields.
 * Returns true when at least one error found its field (then no extra toast is needed).
 */
export function applyFieldErrors(form: FormInstance, e: unknown, known?: string[]): boolean {
  if (!isApiError(e) || !e.problem.errors?.length) return false;
  const fields = (e as ApiError).problem.errors!.map((fe) => ({ name: fieldName(fe.field), errors: [fe.message] }));
  const matched = known ? fields.filter((f) => known.includes(f.name)) : fields;
  if (matched.length) form.setFields(matched.map((f) => ({ name: f.name.split('.'), errors: f.errors })));
  return matched.length > 0;
}
