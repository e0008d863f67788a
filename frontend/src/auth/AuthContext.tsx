import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { clearTokens, getAccessToken, getRefreshToken, onSessionExpired, setTokens } from '../api/tokens';
import type { Me, TokenPair } from '../api/types';
import { makeAccess, type Access } from '../access';

/** A password step either signs in or asks for the second factor with a short-lived challenge. */
export type LoginResult = { kind: 'signed'; me: Me } | { kind: 'second_factor'; challenge: string };

interface AuthState {
  me: Me | undefined;
  access: Access;
  signedIn: boolean;
  loading: boolean;
  error: unknown;
  login: (username: string, password: string) => Promise<LoginResult>;
  loginSecondFactor: (challenge: string, code: string) => Promise<Me>;
  /** Stores a fresh pair (after a password change) and reloads who I am. */
  replaceTokens: (pair: TokenPair) => Promise<Me>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [hasToken, setHasToken] = useState(() => getAccessToken() !== null);

  const meQuery = useQuery({
    queryKey: ['me'],
    queryFn: () => unwrap(api.GET('/api/me')),
    enabled: hasToken,
    staleTime: 5 * 60_000,
    retry: false,
  });

  useEffect(
    () =>
      onSessionExpired(() => {
        setHasToken(false);
        queryClient.clear();
      }),
    [queryClient],
  );

  const signIn = useCallback(
    async (pair: TokenPair) => {
      setTokens(pair);
      queryClient.clear();
      const me = await queryClient.fetchQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/api/me')) });
      setHasToken(true);
      return me;
    },
    [queryClient],
  );

  const login = useCallback(
    async (username: string, password: string): Promise<LoginResult> => {
      const answer = await unwrap(api.POST('/api/auth/login', { body: { username, password } }));
      if (answer.mfa_required && answer.challenge) return { kind: 'second_factor', challenge: answer.challenge };
      if (!answer.access_token || !answer.refresh_token) throw new Error('login answer without tokens');
      const me = await signIn({ ...answer, access_token: answer.access_token, refresh_token: answer.refresh_token } as TokenPair);
      return { kind: 'signed', me };
    },
    [signIn],
  );

  const loginSecondFactor = useCallback(
    async (challenge: string, code: string) => signIn(await unwrap(api.POST('/api/auth/login/second-factor', { body: { challenge, code } }))),
    [signIn],
  );

  const logout = useCallback(async () => {
    const refresh_token = getRefreshToken();
    if (refresh_token) {
      // Best effort: the local session ends even if the server is unreachable.
      await api.POST('/api/auth/logout', { body: { refresh_token } }).catch(() => undefined);
    }
    clearTokens();
    setHasToken(false);
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo<AuthState>(
    () => ({
      me: hasToken ? meQuery.data : undefined,
      access: makeAccess(hasToken ? meQuery.data?.permissions : []),
      signedIn: hasToken,
      loading: hasToken && meQuery.isPending,
      error: meQuery.error,
      login,
      loginSecondFactor,
      replaceTokens: signIn,
      logout,
    }),
    [hasToken, meQuery.data, meQuery.isPending, meQuery.error, login, loginSecondFactor, signIn, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
