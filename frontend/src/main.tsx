import '@ant-design/v5-patch-for-react-19';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.css';
import App from './App';
import { storedLanguage } from './i18n';
import { installStaleBuildReload } from './staleBuild';

document.documentElement.lang = storedLanguage();
installStaleBuildReload();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
