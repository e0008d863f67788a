import {
  clearTokens,
  emitSessionExpired,
  getAccessToken,
  getRefreshToken,
  setTokens,
  type TokenPair,
} from './tokens';
import { storedLanguage } from '../i18n';
import { observedFetch } from './connectivity';

/** Absolute origin of the API; openapi-fetch needs an absolute base URL under jsdom. */
export function apiOrigin(): string {
  const fromEnv = import.meta.env.VITE_API_ORIGIN as string | undefined;
  return fromEnv ?? globalThis.location?.origin ?? 'http://localhost';
}

export function apiUrl(path: string, query?: Record<string, unknown>): string {
  const url = new URL(path, apiOrigin());
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
  }
  return url.toString();
}

const NO_REFRESH_PATHS = [
  '/api/auth/login',
  '/api/auth/login/second-factor',
  '/api/auth/refresh',
  '/api/auth/logout',
  '/api/auth/forgot',
  '/api/auth/reset',
];

type ActivityListener = (at: number) => void;
const activityListeners = new Set<ActivityListener>();
/** Every answered API call counts as activity of the session (the server records it too): the idle warning listens. */
/**
 * Marks a request the app makes on its own (a badge's poll): it is no sign that the user is there, so it does not
 * hold off the idle warning and sign-out.
 */
export const BACKGROUND = { 'x-yanxiu-background': '1' } as const;

export function onApiActivity(fn: ActivityListener): () => void {
  activityListeners.add(fn);
  return () => activityListeners.delete(fn);
}
function noteActivity(): void {
  const at = Date.now();
  activityListeners.forEach((fn) => fn(at));
}

/** Asks the user for a second-factor code and verifies it (POST /api/auth/step-up); resolves false when cancelled. */
export type StepUpHandler = () => Promise<boolean>;
let stepUpHandler: StepUpHandler | null = null;
export function setStepUpHandler(handler: StepUpHandler | null): void {
  stepUpHandler = handler;
}

async function needsStepUp(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  try {
    const body = (await response.clone().json()) as { code?: string };
    return body.code === 'step_up_required';
  } catch {
    return false;
  }
}

function isAuthEndpoint(url: string): boolean {
  const { pathname } = new URL(url);
  return NO_REFRESH_PATHS.includes(pathname);
}

let inflight: Promise<boolean> | null = null;

async function doRefresh(): Promise<boolean> {
  const refreshToken = getRefreshToken();
  if (!refreshToken) return false;
  try {
    const res = await observedFetch(
      new Request(apiUrl('/api/auth/refresh'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      }),
    );
    if (!res.ok) {
      clearTokens();
      return false;
    }
    const pair = (await res.json()) as TokenPair;
    // Signed out (or signed in anew) while this refresh was under way: its tokens must not bring the old session back.
    if (getRefreshToken() !== refreshToken) return false;
    setTokens(pair);
    return true;
  } catch {
    return false;
  }
}

/** Single flight: concurrent 401s share one refresh call (refresh tokens rotate, so a second call would fail). */
export function refreshOnce(): Promise<boolean> {
  if (!inflight) {
    inflight = doRefresh().finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

function withBearer(request: Request): Request {
  // The server writes its messages (problem details, field reasons) in the language the user picked.
  request.headers.set('Accept-Language', storedLanguage());
  const token = getAccessToken();
  if (token) request.headers.set('Authorization', `Bearer ${token}`);
  return request;
}

/**
 * fetch with the bearer token; on a 401 it refreshes the tokens once (shared between concurrent calls) and
 * retries the request once. A failed refresh ends the session. A 403 `step_up_required` asks for a code (through
 * the registered handler) and retries once.
 */
export async function authFetch(request: Request): Promise<Response> {
  const afterStepUp = request.clone();
  const response = await fetchRefreshing(request);
  if (stepUpHandler && (await needsStepUp(response)) && (await stepUpHandler())) {
    // A sensitive operation asked for a fresh second-factor code: it was given, so the request goes again.
    return fetchRefreshing(afterStepUp);
  }
  return response;
}

async function fetchRefreshing(request: Request): Promise<Response> {
  const retry = request.clone();
  const usedToken = getAccessToken();
  const response = await observedFetch(withBearer(request));
  const background = request.headers.has('x-yanxiu-background');
  if (response.status !== 401 && getAccessToken() !== null && !isAuthEndpoint(request.url) && !background) noteActivity();
  if (response.status !== 401 || isAuthEndpoint(request.url) || !getRefreshToken()) {
    return response;
  }
  // Another call may already have refreshed while this one was in flight.
  const current = getAccessToken();
  const refreshed = current !== null && current !== usedToken ? true : await refreshOnce();
  if (!refreshed) {
    clearTokens();
    emitSessionExpired();
    return response;
  }
  return observedFetch(withBearer(retry));
}
