/** RFC 7807 problem details as the backend sends them, with its stable machine `code`. */
export interface FieldError {
  field: string;
  message: string;
}
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  /** The typed parameters of `detail`, e.g. a failed sign-in's `remaining_attempts`. */
  params?: { remaining_attempts?: number; retry_after_seconds?: number } & Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  readonly retryAfter?: number;

  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail || problem.title || problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

export const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  423: 'account_locked',
  429: 'rate_limited',
};

export function toProblem(body: unknown, status: number): Problem {
  if (body && typeof body === 'object' && 'code' in body) {
    const p = body as Partial<Problem>;
    return { ...p, status: p.status ?? status, code: String(p.code) } as Problem;
  }
  return { status, code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'unknown_error') };
}

function retryAfterOf(response: Response): number | undefined {
  const raw = response.headers.get('retry-after');
  if (!raw) return undefined;
  const secs = Number(raw);
  return Number.isFinite(secs) ? secs : undefined;
}

/** Builds an ApiError from a failed Response (body may or may not be problem+json). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = undefined;
  try {
    body = await response.clone().json();
  } catch {
    body = undefined;
  }
  return apiErrorOf(toProblem(body, response.status), response);
}

/** The error for a problem the server sent, with the wait it asked for (its `Retry-After`, else the problem's). */
export function apiErrorOf(problem: Problem, response: Response): ApiError {
  return new ApiError(problem, retryAfterOf(response) ?? problem.params?.retry_after_seconds);
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** A request that never got an answer (server down, connection lost, offline): status 0 or the code saying so. */
export function isNetworkError(e: unknown): boolean {
  return isApiError(e) ? e.status === 0 || e.code === 'network_error' : e instanceof TypeError;
}
