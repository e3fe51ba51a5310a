import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AppCrash } from './components/AppCrash.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { loadAppConfig } from './config/app-config.ts';
import { adoptJoinCodeFromUrl } from './session/join-link.ts';
import { adoptTokenFromUrl } from './session/url-token.ts';
import { takeRoomFromUrl } from './pwa/open-room.ts';
import { registerServiceWorker } from './pwa/register-sw.ts';
import { takeUrlParams } from './session/url-params.ts';
import './styles.css';
import './accounts.css';
import './files.css';
import './presence.css';
import './search.css';
import './links.css';
import './team.css';
import './sign-in-extras.css';
import './push.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

// First, before anything can log or report the URL: a Facebook sign-in may have put a token in it.
adoptTokenFromUrl();
// An invite link's code waits for after the sign-in, out of the address bar.
adoptJoinCodeFromUrl();
takeRoomFromUrl();
registerServiceWorker();
const urlParams = takeUrlParams();
void loadAppConfig().then((config) => {
  // React's own log of an error a boundary caught has no component stack: this one says where.
  const onCaughtError = (error: unknown, info: { componentStack?: string | undefined }) =>
    console.error('pockychat: a render error, shown as a fallback:', error, info.componentStack ?? '');
  createRoot(root, { onCaughtError }).render(
    <StrictMode>
      <ErrorBoundary fallback={<AppCrash />}>
        <App config={config} urlParams={urlParams} />
      </ErrorBoundary>
    </StrictMode>,
  );
});
