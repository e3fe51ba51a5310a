import { useEffect, useMemo, useRef, useState } from 'react';
import type { User } from '@pockychat/protocol';
import type { AppConfig } from './config/app-config.ts';
import { ApiError, createHttpApi, type HttpApi } from './api/http-api.ts';
import { connectSocket } from './api/connect-socket.ts';
import { createFilesApi } from './api/files-api.ts';
import { createLinksApi } from './api/links-api.ts';
import { createAuthApi, type AuthResult } from './api/auth-api.ts';
import { createRoomsApi } from './api/rooms-api.ts';
import { createNotificationsApi } from './api/notifications-api.ts';
import { createSearchApi } from './api/search-api.ts';
import { createTeamApi } from './api/team-api.ts';
import { readToken, writeToken } from './api/token-storage.ts';
import { ChatSession } from './session/chat-session.ts';
import { consumeLinkedRoom, onOpenRoomMessage } from './pwa/open-room.ts';
import { createPushApi } from './api/push-api.ts';
import { PushApiContext } from './notifications/push-context.ts';
import { ChatSessionContext } from './session/session-context.ts';
import { AccountContext, type Account } from './session/account-context.ts';
import { restoreUser } from './session/restore-user.ts';
import { TeamApiContext } from './session/team-context.ts';
import { createChatStore } from './state/store.ts';
import { ChatStoreContext } from './state/use-chat-state.ts';
import { ChatScreen } from './components/ChatScreen.tsx';
import { JoinLinkPrompt, JoinLinkHint } from './components/JoinLinkPrompt.tsx';
import { SignInScreen, type SignInBanner } from './components/SignInScreen.tsx';
import { LazyBoundary } from './components/LazyBoundary.tsx';
import { ResetPasswordScreen } from './components/lazy-parts.ts';
import { takeUrlParams, type UrlParams } from './session/url-params.ts';

type Phase =
  | { kind: 'restoring'; retrying: boolean }
  | { kind: 'signed-out'; error: string | null }
  // token null: signed in by the session cookie alone (a same-origin Facebook sign-in).
  | { kind: 'signed-in'; user: User; token: string | null };

const noUrlParams: UrlParams = { resetToken: null, signInError: null };

export function App({ config, urlParams = noUrlParams }: { config: AppConfig; urlParams?: UrlParams }) {
  const http = useMemo(() => createHttpApi(config.apiOrigin, readToken), [config.apiOrigin]);
  // Always ask who we are: without a stored token there may still be a session cookie.
  const [phase, setPhase] = useState<Phase>({ kind: 'restoring', retrying: false });
  // A reset link's token and a failed single sign-on's reason, taken from the URL at start (main.tsx).
  const [resetToken, setResetToken] = useState(urlParams.resetToken);
  const [banner, setBanner] = useState<SignInBanner | null>(
    urlParams.signInError ? { text: urlParams.signInError, tone: 'error' } : null,
  );
  // A reset link opened in a tab already on the app changes only the fragment: no new page load.
  useEffect(() => {
    const onHashChange = () => {
      const token = takeUrlParams().resetToken;
      if (token) setResetToken(token);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    let live = true;
    void restoreUser(http, () => live && setPhase({ kind: 'restoring', retrying: true })).then((restored) => {
      if (!live) return;
      setPhase(restored ? { kind: 'signed-in', ...restored } : { kind: 'signed-out', error: null });
    });
    return () => {
      live = false;
    };
  }, [http]);

  const account = useMemo<Account>(
    () => ({
      auth: createAuthApi(config.apiOrigin, readToken),
      signedIn: ({ user, token }: AuthResult) => {
        writeToken(token);
        setPhase({ kind: 'signed-in', user, token });
      },
    }),
    [config.apiOrigin],
  );

  const signInAsGuest = async (name: string) => {
    try {
      const { user, token } = await http.guest(name);
      writeToken(token);
      setPhase({ kind: 'signed-in', user, token });
    } catch (error) {
      setPhase({ kind: 'signed-out', error: describeSignInError(error) });
    }
  };
  const signedOut = () => {
    writeToken(null);
    setPhase({ kind: 'signed-out', error: null });
  };

  return <AccountContext.Provider value={account}>{screen()}</AccountContext.Provider>;

  function screen() {
    if (resetToken && phase.kind !== 'restoring') {
      const done = (message: string) => {
        setResetToken(null);
        if (message) setBanner({ text: message, tone: 'info' });
      };
      return (
        <LazyBoundary fallback={<Splash text="Loading…" />}>
          <ResetPasswordScreen token={resetToken} onDone={done} />
        </LazyBoundary>
      );
    }
    switch (phase.kind) {
      case 'restoring':
        return <Splash text={phase.retrying ? 'Cannot reach the server. Retrying…' : 'Loading…'} />;
      case 'signed-out':
        return (
          <>
            <JoinLinkHint />
            <SignInScreen key={banner?.text} onGuest={signInAsGuest} error={phase.error} banner={banner} />
          </>
        );
      case 'signed-in':
        // A new identity (a guest who signed up keeps its id) gets a fresh store and session.
        return (
          <ChatApp
            key={`${phase.user.id} ${phase.token ?? 'cookie'}`}
            me={phase.user}
            token={phase.token}
            http={http}
            config={config}
            onSignedOut={signedOut}
          />
        );
    }
  }
}

interface ChatAppProps {
  me: User;
  token: string | null;
  http: HttpApi;
  config: AppConfig;
  onSignedOut: () => void;
}

function ChatApp({ me, token, http, config, onSignedOut }: ChatAppProps) {
  const [store] = useState(createChatStore);
  const [session, setSession] = useState<ChatSession | null>(null);
  const push = useMemo(() => createPushApi(config.apiOrigin, readToken), [config.apiOrigin]);
  const team = useMemo(() => createTeamApi(config.apiOrigin, readToken), [config.apiOrigin]);
  // The session outlives renders; it calls whatever sign-out handler is current.
  const signedOut = useRef(onSignedOut);
  useEffect(() => {
    signedOut.current = onSignedOut;
  });

  useEffect(() => {
    const files = createFilesApi(config.apiOrigin, readToken);
    const rooms = createRoomsApi(config.apiOrigin, readToken);
    const notifications = createNotificationsApi(config.apiOrigin, readToken);
    const search = createSearchApi(config.apiOrigin, readToken);
    const links = createLinksApi(config.apiOrigin, readToken);
    const apis = { files, rooms, search, notifications, links };
    const next = new ChatSession(store, http, me, () => signedOut.current(), apis);
    setSession(next);
    void next.start((handlers) => connectSocket(config.apiOrigin, token, handlers));
    const linked = consumeLinkedRoom();
    if (linked) next.openRoom(linked);
    const stopListening = onOpenRoomMessage((room) => next.openRoom(room));
    return () => {
      stopListening();
      next.stop();
    };
  }, [store, http, me, token, config.apiOrigin]);

  if (!session) return <Splash text="Loading…" />;
  return (
    <ChatStoreContext.Provider value={store}>
      <ChatSessionContext.Provider value={session}>
        <PushApiContext.Provider value={push}>
          <TeamApiContext.Provider value={team}>
            <ChatScreen me={me} />
          </TeamApiContext.Provider>
        </PushApiContext.Provider>
        <JoinLinkPrompt />
      </ChatSessionContext.Provider>
    </ChatStoreContext.Provider>
  );
}

function Splash({ text }: { text: string }) {
  return (
    <main className="splash" aria-busy="true">
      <p role="status">{text}</p>
    </main>
  );
}

function describeSignInError(error: unknown): string {
  if (error instanceof ApiError)
    return error.code === 'rate_limited' ? 'Too many attempts; try again soon.' : error.message;
  return 'Cannot reach the server. Check your connection and try again.';
}
