import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { isApiError, type ApiError } from '../api/problem';

/** Translated text for an error: the locale's text for its stable code, else the server's detail. */
export function errorText(t: TFunction, e: unknown): string {
  if (isApiError(e)) {
    const key = `errors.${e.code}`;
    const translated = t(key, { defaultValue: '', minutes: e.retryAfter ? Math.ceil(e.retryAfter / 60) : 15, seconds: e.retryAfter ?? 60 });
    if (translated) return translated;
    return e.problem.detail || e.problem.title || t('errors.unknown_error');
  }
  return t('errors.network_error');
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
