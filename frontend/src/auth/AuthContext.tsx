import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { clearTokens, getAccessToken, getRefreshToken, onSessionExpired, setTokens } from '../api/tokens';
import type { Me } from '../api/types';
import { makeAccess, type Access } from '../access';

interface AuthState {
  me: Me | undefined;
  access: Access;
  signedIn: boolean;
  loading: boolean;
  error: unknown;
  login: (username: string, password: string) => Promise<Me>;
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

  const login = useCallback(
    async (username: string, password: string) => {
      const pair = await unwrap(api.POST('/api/auth/login', { body: { username, password } }));
      setTokens(pair);
      queryClient.clear();
      const me = await queryClient.fetchQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/api/me')) });
      setHasToken(true);
      return me;
    },
    [queryClient],
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
      logout,
    }),
    [hasToken, meQuery.data, meQuery.isPending, meQuery.error, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
