// Screenshots of a conversation (replies, reactions, an edited and a deleted message) on a phone
// and a desktop, for people to look at: node packages/web/test/e2e/screenshots.ts <dir>
import { buildClient } from './helpers/build-client.ts';
import { messageItem, say, type Person } from './helpers/browser.ts';
import { startChat } from './helpers/chat.ts';

const out = process.argv[2] ?? '.';
const chat = await startChat({ dist: await buildClient('screenshots') });
try {
  const ann = await chat.signIn('Ann');
  const bob = await chat.signIn('Bob');
  await say(ann, 'Morning! Release plan for **today**:\n1. freeze `main`\n2. tag *v2.0*\n3. deploy');
  await say(bob, 'Sounds good. Notes are at https://example.com/notes');
  await say(ann, 'oops, wrong room');
  await hoverClick(bob, 'Sounds good. Notes are at https://example.com/notes', 'Edit');
  const box = bob.page.getByLabel('Edit message');
  await box.fill('Sounds good. Release notes are at https://example.com/notes');
  await box.press('Enter');
  await hoverClick(ann, 'oops, wrong room', 'Delete');
  await ann.page
    .getByRole('group', { name: 'Delete this message for everyone?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await hoverClick(bob, 'Morning! Release plan for today:', 'Reply', false);
  await say(bob, '@Ann I can take the deploy');
  await hoverClick(ann, '@Ann I can take the deploy', 'React with ❤️');
  await hoverClick(bob, 'Morning! Release plan for today:', 'Add a reaction', false);
  await bob.page.getByRole('dialog').getByRole('button', { name: '🚀' }).click();
  await hoverClick(ann, '@Ann I can take the deploy', 'Add a reaction');
  await ann.page.getByRole('dialog').getByRole('button', { name: '🎉' }).click();
  await say(ann, '> freeze `main`\n\nDone, main is frozen ✅');
  await hoverClick(bob, 'Done, main is frozen ✅', 'Reply');
  await bob.page.getByText('Replying to Ann').waitFor();
  await ann.log.locator('.reaction').nth(2).waitFor();
  await bob.log.locator('.reaction').nth(2).waitFor();
  await ann.page.screenshot({ path: `${out}/conversation-desktop-1280x800.png`, animations: 'disabled' });
  await bob.page.screenshot({ path: `${out}/conversation-desktop-replying-1280x800.png`, animations: 'disabled' });
  const phone = await chat.signIn('Cleo', { width: 390, height: 844 });
  await phone.log.locator('.reaction').nth(2).waitFor();
  await phone.page.screenshot({ path: `${out}/conversation-phone-390x844.png`, animations: 'disabled' });
  await messageItem(phone, '@Ann I can take the deploy').click();
  await phone.page.screenshot({ path: `${out}/conversation-phone-actions-390x844.png`, animations: 'disabled' });
} finally {
  await chat.close();
}

async function hoverClick(person: Person, text: string, action: string, exact = true): Promise<void> {
  const item = exact ? messageItem(person, text) : person.log.getByRole('listitem').filter({ hasText: text });
  await item.first().hover();
  await item.first().getByRole('button', { name: action, exact: true }).click();
}
