import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { onSessionExpired } from './api/tokens';
import { appRoutes } from './routes';
import BasicLayout from './layouts/BasicLayout';
import { ErrorState, ForbiddenResult, Loading, NotFoundResult } from './components/States';
import type { Permission } from './access';

const Login = lazy(() => import('./pages/Login'));
const ForgotPassword = lazy(() => import('./pages/ForgotPassword'));
const ResetPassword = lazy(() => import('./pages/ResetPassword'));
// Public: anyone holding a certificate number (or its QR code) may check it without signing in.
const Verify = lazy(() => import('./pages/Verify'));
// Public: the user guide the pages' help links open.
const Guide = lazy(() => import('./pages/Guide'));

// Darker than antd's defaults so text and links pass WCAG AA contrast (axe): #1677ff and 45 % black do not.
export const theme = {
  token: {
    colorPrimary: '#0958d9',
    colorInfo: '#0958d9',
    colorLink: '#0958d9',
    colorPrimaryHover: '#003eb3',
    colorLinkHover: '#003eb3',
    colorError: '#cf1322',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    borderRadius: 6,
  },
};

function RequireAuth({ children }: { children: ReactNode }) {
  const { signedIn, loading, me, error } = useAuth();
  const location = useLocation();
  if (!signedIn) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (loading) return <Loading />;
  if (!me) return <ErrorState error={error} onRetry={() => window.location.reload()} />;
  return <>{children}</>;
}

function Guard({ access, children }: { access?: Permission; children: ReactNode }) {
  const auth = useAuth();
  return auth.access(access) ? <>{children}</> : <ForbiddenResult />;
}

/** A failed refresh (expired session) sends the user back to the login page. */
function SessionWatcher() {
  const navigate = useNavigate();
  useEffect(() => onSessionExpired(() => navigate('/login', { replace: true })), [navigate]);
  return null;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <SessionWatcher />
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route path="/forgot-password" element={<ForgotPassword />} />
        <Route path="/reset-password" element={<ResetPassword />} />
        <Route path="/verify" element={<Verify />} />
        <Route path="/verify/:number" element={<Verify />} />
        <Route path="/guide" element={<Guide />} />
        <Route path="/guide/:lang" element={<Guide />} />
        <Route
          element={
            <RequireAuth>
              <BasicLayout />
            </RequireAuth>
          }
        >
          {appRoutes.map((r) => (
            <Route
              key={r.path}
              path={r.path}
              element={
                <Guard access={r.access}>
                  <r.component />
                </Guard>
              }
            />
          ))}
          <Route path="*" element={<NotFoundResult />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

export function Providers({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const { i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  dayjs.locale(zh ? 'zh-cn' : 'en');
  const queryClient = client ?? defaultQueryClient;
  return (
    <ConfigProvider locale={zh ? zhCN : enUS} theme={theme}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>{children}</AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

const defaultQueryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: false } },
});

export default function App() {
  return (
    <BrowserRouter>
      <Providers>
        <AppRoutes />
      </Providers>
    </BrowserRouter>
  );
}
