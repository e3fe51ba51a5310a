import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { loadAppConfig } from './config/app-config.ts';
import { adoptJoinCodeFromUrl } from './session/join-link.ts';
import { adoptTokenFromUrl } from './session/url-token.ts';
import { takeRoomFromUrl } from './pwa/open-room.ts';
import { registerServiceWorker } from './pwa/register-sw.ts';
import './styles.css';
import './accounts.css';
import './files.css';
import './presence.css';
import './search.css';
import './links.css';
import './team.css';
import { takeUrlParams } from './session/url-params.ts';
import './styles.css';
import './accounts.css';
import './files.css';
import './sign-in-extras.css';

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
  createRoot(root).render(
    <StrictMode>
      <App config={config} urlParams={urlParams} />
    </StrictMode>,
  );
});
