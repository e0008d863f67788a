import {
  clearTokens,
  emitSessionExpired,
  getAccessToken,
  getRefreshToken,
  setTokens,
  type TokenPair,
} from './tokens';

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

const NO_REFRESH_PATHS = ['/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/auth/forgot', '/api/auth/reset'];

function isAuthEndpoint(url: string): boolean {
  const { pathname } = new URL(url);
  return NO_REFRESH_PATHS.includes(pathname);
}

let inflight: Promise<boolean> | null = null;

async function doRefresh(): Promise<boolean> {
  const refreshToken = getRefreshToken();
  if (!refreshToken) return false;
  try {
    const res = await globalThis.fetch(
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
    setTokens((await res.json()) as TokenPair);
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
  const token = getAccessToken();
  if (token) request.headers.set('Authorization', `Bearer ${token}`);
  return request;
}

/**
 * fetch with the bearer token; on a 401 it refreshes the tokens once (shared between concurrent calls) and
 * retries the request once. A failed refresh ends the session.
 */
export async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const usedToken = getAccessToken();
  const response = await globalThis.fetch(withBearer(request));
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
  return globalThis.fetch(withBearer(retry));
}
