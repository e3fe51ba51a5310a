import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { buildClient } from './helpers/build-client.ts';
import type { Person } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

/** The service worker's registration once active: its scope and state. */
function activeWorker(page: Page): Promise<{ scope: string; state: string | undefined }> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (worker && worker.state !== 'activated') {
      await new Promise<void>((resolve) =>
        worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()),
      );
    }
    return { scope: registration.scope, state: registration.active?.state };
  });
}

interface Icon {
  src: string;
  sizes: string;
  type: string;
  purpose: string;
}

/** The manifest as fetched, and each of its icons as fetched and decoded. */
interface ManifestCheck {
  status: number;
  type: string | null;
  body: {
    name: string;
    short_name: string;
    start_url: string;
    scope: string;
    display: string;
    theme_color: string;
    icons: Icon[];
  };
  icons: Array<Icon & { status: number; width: number; height: number }>;
}

/** The room shown: its title in the room view. */
async function shownRoom(person: Person, room: string): Promise<void> {
  await person.page.locator('.room__title h1', { hasText: room }).waitFor();
}

describe('installable web app (served by the chat server)', () => {
  const chat = suiteChat(() => buildClient('pwa'));

  test('the manifest is linked, served and valid, with 192 and 512 PNG icons, maskable too', async () => {
    const ann = await chat.signIn('Ann');
    const manifest: ManifestCheck | null = await ann.page.evaluate(async (): Promise<ManifestCheck | null> => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      if (!link) return null;
      const response = await fetch(link.href);
      const body = (await response.json()) as ManifestCheck['body'];
      const icons = await Promise.all(
        body.icons.map(async (icon) => {
          const image = await fetch(new URL(icon.src, link.href));
          const bitmap = await createImageBitmap(await image.blob());
          return { ...icon, status: image.status, width: bitmap.width, height: bitmap.height };
        }),
      );
      return { status: response.status, type: response.headers.get('content-type'), body, icons };
    });
    assert.ok(manifest, 'index.html links a manifest');
    assert.equal(manifest.status, 200);
    assert.match(manifest.type ?? '', /manifest\+json|json/);
    assert.equal(manifest.body.name, 'pockychat');
    assert.equal(manifest.body.short_name, 'pockychat');
    assert.equal(manifest.body.start_url, '.');
    assert.equal(manifest.body.scope, '.');
    assert.equal(manifest.body.display, 'standalone');
    assert.match(manifest.body.theme_color, /^#[0-9a-f]{6}$/i);
    for (const size of [192, 512]) {
      for (const purpose of ['any', 'maskable']) {
        const found: ManifestCheck['icons'][number] | undefined = manifest.icons.find(
          (i) => i.sizes === `${size}x${size}` && i.purpose === purpose,
        );
        assert.ok(found, `a ${purpose} ${size} icon`);
        assert.equal(found.type, 'image/png');
        assert.deepEqual([found.status, found.width, found.height], [200, size, size]);
      }
    }
    await ann.context.close();
  });

  test('the service worker activates; a push shows a notification; its click opens the right room', async () => {
    const ann = await chat.signIn('Ann');
    const origin = new URL(chat.url).origin;
    await ann.context.grantPermissions(['notifications'], { origin });
    const worker = await activeWorker(ann.page);
    assert.equal(worker.state, 'activated');
    assert.equal(worker.scope, `${origin}/`);

    // A push as the push service would deliver it, through the DevTools protocol.
    const cdp = await ann.context.newCDPSession(ann.page);
    const registrationId = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const mine = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
        if (mine) resolve(mine.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    const payload = {
      type: 'message',
      room: 'pushed-room',
      messageId: 'm1',
      seq: 1,
      title: 'Bob in #pushed-room',
      body: 'are you there?',
      tag: 'pushed-room',
    };
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin,
      registrationId: await registrationId,
      data: JSON.stringify(payload),
    });
    // Polled from here: waitForFunction takes an async predicate's promise as a truthy answer
    // at once, and the worker shows the notification a moment after the push.
    const shownNotification = () =>
      ann.page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        const [notification] = await registration.getNotifications();
        return notification
          ? {
              title: notification.title,
              body: notification.body,
              tag: notification.tag,
              data: notification.data as unknown,
            }
          : null;
      });
    await waitFor(async () => (await shownNotification()) !== null, { what: 'the notification of the push' });
    assert.deepEqual(await shownNotification(), {
      title: 'Bob in #pushed-room',
      body: 'are you there?',
      tag: 'pushed-room',
      data: { room: 'pushed-room' },
    });

    // The click's path: the worker focuses this window and tells it the room (open-room), which it opens.
    await ann.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      registration.active?.postMessage({ type: 'test-open-room', room: 'pushed-room' });
    });
    await shownRoom(ann, 'pushed-room');
    await ann.context.close();
  });

  test('a notification clicked with no window open opens <scope>?room=: the app opens that room', async () => {
    const ann = await chat.signIn('Ann');
    await ann.page.goto(`${chat.url}/?room=linked-room`);
    await shownRoom(ann, 'linked-room');
    assert.equal(new URL(ann.page.url()).searchParams.get('room'), null, 'the room leaves the address bar');
    await ann.context.close();
  });
});

describe('installable web app (the static build on another origin)', () => {
  const chat = suiteChat(() => buildClient('pwa-static'), { crossOrigin: true });

  test('the service worker registers and activates with the static host as its scope', async () => {
    const gus = await chat.signIn('Gus');
    const worker = await activeWorker(gus.page);
    assert.equal(worker.state, 'activated');
    assert.equal(worker.scope, `${new URL(chat.url).origin}/`);
    await gus.context.close();
  });
});
