import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dmRoomName, type User } from '@pockychat/protocol';
import { ChatClient, api, guest } from '../../../server/test/helpers/clients.ts';
import { buildClient } from './helpers/build-client.ts';
import { messageItem, signIn, type Person } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

interface Shown {
  title: string;
  body: string | undefined;
  tag: string | undefined;
}

declare global {
  interface Window {
    shownNotifications: Shown[];
  }
}

/**
 * The page's own notifications (issue 16, point 3) and the room menu's
 * notification settings, in Debian's chromium. Notifications are observed
 * by wrapping window.Notification in an init script that records each one
 * it is asked to show (permission granted through the browser context).
 */
describe('notifications in the browser', () => {
  const chat = suiteChat(() => buildClient('notifications'));

  /** A guest in a new profile whose Notification calls are recorded. */
  const signInRecorded = (name: string): Promise<Person> =>
    signIn(chat.browser, chat.url, name, undefined, async (context) => {
      await context.grantPermissions(['notifications'], { origin: chat.url });
      await context.addInitScript(() => {
        window.shownNotifications = [];
        const Real = window.Notification;
        class Recorded extends Real {
          constructor(title: string, options?: NotificationOptions) {
            window.shownNotifications.push({ title, body: options?.body, tag: options?.tag });
            super(title, options);
          }
        }
        window.Notification = Recorded;
      });
    });

  /** As if the user switched to another tab (hidden, unfocused), or back. */
  async function setVisible(person: Person, visible: boolean): Promise<void> {
    await person.page.evaluate((visible) => {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => (visible ? 'visible' : 'hidden'),
      });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => !visible });
      document.hasFocus = () => visible;
      document.dispatchEvent(new Event('visibilitychange'));
    }, visible);
  }

  const shown = (person: Person) => person.page.evaluate(() => window.shownNotifications);
  /** Waits until the page was asked to show `count` notifications, and returns them. */
  async function shownAtLeast(person: Person, count: number): Promise<Shown[]> {
    await person.page.waitForFunction((count) => window.shownNotifications.length >= count, count);
    return shown(person);
  }

  async function meOf(person: Person): Promise<User> {
    return person.page.evaluate(async () => ((await (await fetch('/me')).json()) as { user: User }).user);
  }

  test('a room’s notification level and the text setting persist across a reload', async () => {
    const ann = await signInRecorded('Ann');
    const menu = ann.page.getByRole('button', { name: 'Room options' });
    await menu.click();
    const mute = ann.page.getByRole('menuitemradio', { name: 'Mute' });
    assert.equal(
      await ann.page.getByRole('menuitemradio', { name: 'Mentions only' }).getAttribute('aria-checked'),
      'true',
    );
    const saved = ann.page.waitForResponse((r) => r.url().endsWith('/rooms/lobby/notifications') && r.status() === 204);
    await mute.click();
    await saved;
    const text = ann.page.getByRole('menuitemcheckbox', { name: 'Show message text in notifications' });
    assert.equal(await text.getAttribute('aria-checked'), 'true');
    const previewSaved = ann.page.waitForResponse((r) => r.url().endsWith('/notifications') && r.status() === 204);
    await text.click();
    await previewSaved;

    await ann.page.reload();
    await ann.composer.waitFor();
    await menu.click();
    await ann.page.getByRole('menuitemradio', { name: 'Mute', checked: true }).waitFor();
    await ann.page
      .getByRole('menuitemcheckbox', { name: 'Show message text in notifications', checked: false })
      .waitFor();
    const stored = await api(chat.server.url, undefined, '/notifications', {
      headers: { cookie: (await ann.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    assert.deepEqual(stored.body, { levels: { lobby: 'mute' }, preview: false });
    await ann.context.close();
  });

  test('a DM shows a notification while the tab is hidden, none while it is visible or push is on', async () => {
    const cat = await signInRecorded('Cat');
    const catUser = await meOf(cat);
    const dan = await guest(chat.server.url, 'Dan');
    const dans = await ChatClient.connect(chat.server.url, dan.token);
    const room = dmRoomName(catUser.id, dan.user.id);
    await dans.join(room);
    // Cat's client hears of the new DM and joins it; she opens it.
    await cat.page.getByRole('navigation').getByRole('button', { name: /Dan/ }).click();
    await cat.page.getByRole('heading', { name: 'Dan' }).waitFor();

    const send = async (text: string) => {
      const clientId = `n-${text}`;
      dans.send({ type: 'send', room, clientId, text });
      return (await dans.next('ack', (f) => f.clientId === clientId)).message;
    };

    await setVisible(cat, false);
    const hidden = await send('while you were away');
    await messageItem(cat, 'while you were away').waitFor();
    assert.deepEqual(await shownAtLeast(cat, 1), [{ title: 'Dan', body: 'while you were away', tag: hidden.id }]);

    await setVisible(cat, true);
    await send('while you look');
    await messageItem(cat, 'while you look').waitFor();
    assert.equal((await shown(cat)).length, 1, 'no notification while the tab is visible');

    // Push is on in this browser: the service worker shows notifications, the page does not.
    await cat.page.evaluate(() => localStorage.setItem('pockychat:push', '1'));
    await setVisible(cat, false);
    await send('pushed instead');
    await messageItem(cat, 'pushed instead').waitFor();
    assert.equal((await shown(cat)).length, 1, 'no in-page notification when push is on');

    dans.close();
    await cat.context.close();
  });

  test('in a named room: a mention shows one, a plain message none, and a muted room none at all', async () => {
    const eve = await signInRecorded('Eve');
    const eveUser = await meOf(eve);
    const fox = await guest(chat.server.url, 'Fox');
    const foxes = await ChatClient.connect(chat.server.url, fox.token);
    await foxes.join('lobby');
    let n = 0;
    const send = async (text: string, mentions?: string[]) => {
      const clientId = `l-${++n}`;
      foxes.send({ type: 'send', room: 'lobby', clientId, text, ...(mentions && { mentions }) });
      const message = (await foxes.next('ack', (f) => f.clientId === clientId)).message;
      await messageItem(eve, text).waitFor();
      return message;
    };

    await setVisible(eve, false);
    await send('just chatting');
    assert.deepEqual(await shown(eve), [], 'lobby is at mentions: a plain message shows nothing');
    const mention = await send('Eve, look', [eveUser.id]);
    assert.deepEqual(await shownAtLeast(eve, 1), [{ title: 'Fox in #lobby', body: 'Eve, look', tag: mention.id }]);

    await setVisible(eve, true);
    await eve.page.getByRole('button', { name: 'Room options' }).click();
    const saved = eve.page.waitForResponse((r) => r.url().endsWith('/rooms/lobby/notifications') && r.status() === 204);
    await eve.page.getByRole('menuitemradio', { name: 'Mute' }).click();
    await saved;
    await setVisible(eve, false);
    await send('Eve, again', [eveUser.id]);
    assert.equal((await shown(eve)).length, 1, 'a muted room shows nothing');

    foxes.close();
    await eve.context.close();
  });

  test('a hidden tab shows nothing while another tab of the app is in view; once that one closes, it does', async () => {
    const gus = await signInRecorded('Gus');
    const gusUser = await meOf(gus);
    // A second tab of the same browser profile, signed in by the cookie, kept hidden.
    const page = await gus.context.newPage();
    await page.goto(chat.url);
    const hiddenTab: Person = {
      ...gus,
      page,
      log: page.getByRole('log'),
      composer: page.getByLabel('Message', { exact: true }),
    };
    await hiddenTab.composer.waitFor();
    await setVisible(hiddenTab, false);
    const hal = await guest(chat.server.url, 'Hal');
    const hals = await ChatClient.connect(chat.server.url, hal.token);
    const room = dmRoomName(gusUser.id, hal.user.id);
    await hals.join(room);
    const send = async (text: string) => {
      hals.send({ type: 'send', room, clientId: `t-${text}`, text });
      return (await hals.next('ack', (f) => f.clientId === `t-${text}`)).message;
    };
    await page.getByRole('navigation').getByRole('button', { name: /Hal/ }).click();
    await send('seen in the other tab');
    await messageItem(hiddenTab, 'seen in the other tab').waitFor();

    await gus.page.close();
    const later = await send('nobody is looking');
    assert.deepEqual(await shownAtLeast(hiddenTab, 1), [{ title: 'Hal', body: 'nobody is looking', tag: later.id }]);
    hals.close();
    await gus.context.close();
  });
});
