import '@ant-design/v5-patch-for-react-19';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.css';
import App from './App';
import { storedLanguage } from './i18n';
import { installStaleBuildReload } from './staleBuild';
import { installConnectivityListeners } from './api/connectivity';
import ErrorBoundary from './components/ErrorBoundary';
import { installFocusableScrollers } from './components/scrollRegions';

document.documentElement.lang = storedLanguage();
installStaleBuildReload();
installConnectivityListeners();
installFocusableScrollers();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* The last line of defence: whatever breaks above the pages (providers, the shell) still shows a way back. */}
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
