import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../../../server/test/helpers/test-server.ts';
import { launchBrowser, signIn, type Person } from './browser.ts';
import { setupTimeout } from './build-client.ts';
import { openApp, signUp, type Credentials } from './accounts.ts';
import { hostStatic, type StaticHost } from './static-host.ts';

export interface ChatOptions {
  /** The built client (from buildClient). */
  dist: string;
  /**
   * Serve the client from a plain web server on `localhost`, another site than the API on
   * 127.0.0.1, which it finds through config.json; otherwise the chat server serves it (WEB_DIST).
   */
  crossOrigin?: boolean;
  /** More server environment, e.g. rate limits or OAuth settings. */
  env?: Record<string, string>;
  /** Extra chromium flags, e.g. a fake camera. */
  browserArgs?: string[];
}

/** A chat server, the page that serves its client and a browser, for one describe block. */
export interface Chat {
  server: TestServer;
  /** Where the client is served: the server itself, or the static host when crossOrigin. */
  url: string;
  browser: Browser;
  /** A new browser profile that signs in as a guest. */
  signIn(name: string, viewport?: { width: number; height: number }): Promise<Person>;
  /** A new browser profile that signs up for an account. */
  signUp(who: Credentials): Promise<Person>;
  /** A new browser profile showing the sign-in screen. */
  openApp(label: string): Promise<Page>;
  /** Closes the browser, the server and the static host; safe to call on a half-started chat. */
  close(): Promise<void>;
}

/** Starts everything a browser test needs; use in `before`, with `chat?.close()` in `after`. */
export async function startChat(options: ChatOptions): Promise<Chat> {
  let host: StaticHost | undefined;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    await host?.close();
  };
  try {
    if (options.crossOrigin) {
      host = await hostStatic(options.dist);
      server = await startTestServer({ env: { ...options.env, ALLOWED_ORIGINS: host.url } });
      await writeFile(path.join(options.dist, 'config.json'), JSON.stringify({ apiOrigin: server.url }));
    } else {
      server = await startTestServer({ env: { WEB_DIST: options.dist, ...options.env } });
    }
    browser = await launchBrowser(options.browserArgs);
  } catch (error) {
    await close();
    throw error;
  }
  const url = host?.url ?? server.url;
  const started = browser;
  return {
    server,
    url,
    browser,
    signIn: (name, viewport) => signIn(started, url, name, viewport),
    signUp: (who) => signUp(started, url, who),
    openApp: (label) => openApp(started, url, label),
    close,
  };
}

/**
 * The chat of the enclosing describe block: started (client from `dist`) before its tests, closed
 * after them. The object is filled in by the `before` hook, so tests use it as a Chat.
 */
export function suiteChat(dist: () => Promise<string>, options: Omit<ChatOptions, 'dist'> = {}): Chat {
  const chat = {} as Chat;
  before(async () => Object.assign(chat, await startChat({ ...options, dist: await dist() })), setupTimeout);
  after(() => chat.close?.(), setupTimeout);
  return chat;
}
