import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { buildClient } from './helpers/build-client.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { hasFocus, nativeDialogs, snap } from './helpers/browser.ts';
import { fillLogIn, inChat } from './helpers/accounts.ts';
import { suiteChat } from './helpers/chat.ts';

const webDist = () => buildClient('admin');
const password = 'correct horse battery';

/** A user's row in the admin page's list. */
function userRow(page: Page, name: string): Locator {
  return page.getByRole('list', { name: 'Users found' }).getByRole('listitem', { name });
}

describe('the admin page in the browser', () => {
  const chat = suiteChat(webDist, { env: { AUTH_RATE_LIMIT: '1000' } });

  test('the admin finds a user, deactivates it (its browser is signed out), reactivates it and sets its password', async () => {
    // The first account is the server's admin; the second is not, and has no Admin button.
    const ada = await chat.signUp({ name: 'Ada', email: 'ada@example.test', password });
    const dee = await chat.signUp({ name: 'Dee', email: 'dee@example.test', password });
    assert.equal(await dee.page.getByRole('button', { name: 'Admin', exact: true }).count(), 0);

    await ada.page.getByRole('button', { name: 'Admin', exact: true }).click();
    const admin = ada.page.getByRole('dialog', { name: 'Server admin' });
    await admin.getByLabel('Search users').fill('dee@');
    await admin.getByRole('button', { name: 'Search' }).click();
    await userRow(ada.page, 'Dee').waitFor();
    // The list first shows everyone (Ada too); the search's answer replaces it.
    const found = admin.getByRole('list', { name: 'Users found' }).getByRole('listitem');
    await found.nth(1).waitFor({ state: 'detached' });
    assert.equal(await found.count(), 1);
    await snap(ada.page, 'admin-users.png');

    // Deactivate asks in the row, not with a native dialog: Cancel keeps Dee, focus back on Deactivate;
    // asked again, Enter on the question's Deactivate (it has the focus) deactivates.
    const dialogs = nativeDialogs(ada.page);
    const deactivate = userRow(ada.page, 'Dee').getByRole('button', { name: 'Deactivate' });
    const question = userRow(ada.page, 'Dee').getByRole('group', {
      name: 'Deactivate Dee? They are signed out everywhere at once.',
    });
    const confirm = question.getByRole('button', { name: 'Deactivate' });
    await deactivate.click();
    await waitFor(() => hasFocus(confirm), { what: 'focus on the confirm' });
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    assert.ok(await hasFocus(deactivate), 'focus is back on Deactivate');
    assert.equal(
      await userRow(ada.page, 'Dee')
        .getByText(/deactivated/)
        .count(),
      0,
    );
    await deactivate.click();
    await waitFor(() => hasFocus(confirm), { what: 'focus on the confirm' });
    await ada.page.keyboard.press('Enter');
    await userRow(ada.page, 'Dee')
      .getByText(/deactivated/)
      .waitFor();
    // Dee's browser is signed out at once: back to the sign-in screen; signing in is refused.
    await dee.page.getByRole('tab', { name: 'Log in' }).waitFor();
    await fillLogIn(dee.page, 'dee@example.test', password);
    await dee.page.getByText(/deactivated/).waitFor();
    assert.deepEqual(dialogs, [], 'no native dialog opened');

    await userRow(ada.page, 'Dee').getByRole('button', { name: 'Reactivate' }).click();
    await userRow(ada.page, 'Dee').getByRole('button', { name: 'Deactivate' }).waitFor();
    await userRow(ada.page, 'Dee').getByRole('button', { name: 'Set password' }).click();
    await admin.getByLabel('New password for Dee').fill('a password Ada chose');
    await admin.getByRole('button', { name: 'Save password' }).click();
    await admin.getByText('Dee has a new password.').waitFor();

    await fillLogIn(dee.page, 'dee@example.test', 'a password Ada chose');
    await inChat(dee.page);

    await admin.getByRole('tab', { name: 'Rooms' }).click();
    await admin.getByRole('table').getByRole('rowheader', { name: 'lobby' }).waitFor();
    await snap(ada.page, 'admin-rooms.png');
  });
});
