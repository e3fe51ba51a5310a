import { exportArchive } from '../storage/archive/export-archive.ts';
import { runArchiveCommand } from './archive-command.ts';

/** `npm run export -- FILE`: the whole chat (rooms, members, messages with their changes, reactions, files) into FILE. */
await runArchiveCommand('export', async ({ store, blobs, file }) => {
  const manifest = await exportArchive(store.db, blobs, file);
  return `exported ${manifest.rows.messages ?? 0} messages, ${manifest.rows.rooms ?? 0} rooms, ${manifest.rows.users ?? 0} users and ${manifest.files} files to ${file}`;
});
