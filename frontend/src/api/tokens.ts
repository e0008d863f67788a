/** Token storage. Both tokens live in localStorage so a reload keeps the session; refresh tokens rotate. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

const ACCESS = 'yanxiu.access_token';
const REFRESH = 'yanxiu.refresh_token';

export function getAccessToken(): string | null {
  return localStorage.getItem(ACCESS);
}
export function getRefreshToken(): string | null {
  return localStorage.getItem(REFRESH);
}
export function setTokens(pair: TokenPair): void {
  localStorage.setItem(ACCESS, pair.access_token);
  localStorage.setItem(REFRESH, pair.refresh_token);
}
export function clearTokens(): void {
  localStorage.removeItem(ACCESS);
  localStorage.removeItem(REFRESH);
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();
/** Called when a refresh fails: the session is over and the UI must go to the login page. */
export function onSessionExpired(fn: Listener): () => void {
  expiredListeners.add(fn);
  return () => expiredListeners.delete(fn);
}
export function emitSessionExpired(): void {
  expiredListeners.forEach((fn) => fn());
}
