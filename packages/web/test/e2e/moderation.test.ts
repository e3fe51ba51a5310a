import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { register, uniqueEmail } from '../../../server/test/helpers/accounts.ts';
import { buildClient } from './helpers/build-client.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { hasFocus, messageItem, nativeDialogs, say, snap, type Person } from './helpers/browser.ts';
import { createRoom, roomMenu } from './helpers/accounts.ts';
import { suiteChat } from './helpers/chat.ts';

const webDist = () => buildClient('moderation');

/** The room among the caller's own rooms (not the public rooms offered to join). */
function roomLink(person: Person, name: RegExp | string) {
  return person.page
    .getByRole('navigation')
    .getByRole('button', { name })
    .and(person.page.locator('.room-link:not(.room-link--discover)'));
}

/** Joins an existing room by name from the sidebar form. */
async function joinRoom(person: Person, room: string): Promise<void> {
  await person.page.getByLabel('Room name').fill(room);
  await person.page.getByRole('button', { name: 'Join', exact: true }).click();
  await person.page.getByRole('heading', { name: `#${room}` }).waitFor();
}

/** A member's row in the members dialog. */
function memberRow(dialog: Locator, name: string): Locator {
  return dialog.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: name });
}

describe('moderating a room in the browser', () => {
  const chat = suiteChat(webDist, { env: { AUTH_RATE_LIMIT: '1000' } });

  test('the owner names a moderator, who deletes a message; the owner bans a member of a public room; the audit log shows it', async () => {
    // Someone else is the server's first account (its admin): the owner here is a plain owner.
    await register(chat.server.url, { email: uniqueEmail('first'), name: 'First' });
    const olga = await chat.signIn('Olga');
    await createRoom(olga, 'town', 'public');
    const mona = await chat.signIn('Mona');
    await joinRoom(mona, 'town');
    const bea = await chat.signIn('Bea');
    await joinRoom(bea, 'town');
    await say(bea, 'buy cheap watches');
    await messageItem(mona, 'buy cheap watches').waitFor();
    assert.equal(
      await messageItem(mona, 'buy cheap watches').getByRole('button', { name: 'Delete', exact: true }).count(),
      0,
      'a plain member is not offered to delete another’s message',
    );

    await roomMenu(olga, 'Members');
    const members = olga.page.getByRole('dialog', { name: 'Members of #town' });
    await memberRow(members, 'Mona').getByRole('button', { name: 'Make moderator' }).click();
    await memberRow(members, 'Mona').getByText('Moderator', { exact: true }).waitFor();
    await snap(olga.page, 'moderation-members.png');

    // Mona, now a moderator, is offered Delete on Bea's message without a reload (the role frame).
    const spam = messageItem(mona, 'buy cheap watches');
    await spam.hover();
    await spam.getByRole('button', { name: 'Delete', exact: true }).click();
    await spam
      .getByRole('group', { name: 'Delete this message for everyone?' })
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
    await bea.log.getByText('This message was deleted.').waitFor();

    // The owner mutes Bea for 10 minutes: her sends are refused, saying until when; Unmute lifts it.
    await members.getByLabel('Mute Bea').selectOption('10');
    await members.getByRole('list', { name: 'Muted' }).getByText('Bea').waitFor();
    await say(bea, 'am I muted?');
    await bea.page
      .getByRole('alert')
      .getByText(/you are muted in town until/)
      .waitFor();
    await members.getByRole('list', { name: 'Muted' }).getByRole('button', { name: 'Unmute' }).click();
    await members.getByRole('list', { name: 'Muted' }).waitFor({ state: 'detached' });

    // The owner bans Bea, asked in her row, not with a native dialog: Escape cancels the question and
    // leaves the members dialog open, focus back on Ban; asked again, the question's Ban bans.
    const dialogs = nativeDialogs(olga.page);
    const ban = members.getByRole('button', { name: 'Ban Bea' });
    const question = members.getByRole('group', { name: 'Ban Bea from town? They leave it and cannot join again.' });
    const confirm = question.getByRole('button', { name: 'Ban', exact: true });
    await ban.click();
    await waitFor(() => hasFocus(confirm), { what: 'focus on the confirm' });
    await snap(olga.page, 'moderation-ban-confirm.png');
    await olga.page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    assert.ok(await members.isVisible(), 'the members dialog is still open');
    assert.ok(await hasFocus(ban), 'focus is back on Ban');
    await ban.click();
    await confirm.click();
    await members.getByRole('list', { name: 'Banned' }).getByText('Bea').waitFor();
    await bea.page.getByRole('alert').getByText('You were banned from town.').waitFor();
    await roomLink(bea, /town/).waitFor({ state: 'detached' });
    await bea.page.getByRole('heading', { name: '#town' }).waitFor({ state: 'detached' });
    await bea.page.getByLabel('Room name').fill('town');
    await bea.page.getByRole('button', { name: 'Join', exact: true }).click();
    await bea.page.getByRole('alert').getByText('Cannot join town: you are banned from town.').waitFor();
    assert.equal(await roomLink(bea, /town/).count(), 0);
    await snap(bea.page, 'moderation-banned.png');
    assert.deepEqual(dialogs, [], 'no native dialog opened');

    await members.getByRole('button', { name: 'Audit log' }).click();
    const log = members.getByRole('region', { name: 'Audit log' });
    await log.getByText('Olga banned Bea').waitFor();
    await log.getByText(/Mona deleted a message by Bea: “buy cheap watches”/).waitFor();
    await log.getByText('Olga made a moderator: Mona').waitFor();
    await snap(olga.page, 'moderation-audit.png');

    // Lifted: Bea may join again.
    await members.getByRole('list', { name: 'Banned' }).getByRole('button', { name: 'Unban' }).click();
    await members.getByRole('list', { name: 'Banned' }).waitFor({ state: 'detached' });
    await joinRoom(bea, 'town');
  });
});
