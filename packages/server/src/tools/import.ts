import { importArchive } from '../storage/archive/import-archive.ts';
import { runArchiveCommand } from './archive-command.ts';

/** `npm run import -- FILE`: loads an export into this server's fresh database (SQLite or PostgreSQL) and uploads directory. */
await runArchiveCommand('import', async ({ store, blobs, config, file }) => {
  const manifest = await importArchive(store.db, config.database.kind, blobs, file);
  return `imported ${manifest.rows.messages ?? 0} messages, ${manifest.rows.rooms ?? 0} rooms, ${manifest.rows.users ?? 0} users and ${manifest.files} files from ${file}`;
});
