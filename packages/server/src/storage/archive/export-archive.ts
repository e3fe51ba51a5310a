import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import { pack, type Pack } from 'tar-stream';
import type { BlobStore } from '../../files/blob-store.ts';
import type { Database } from '../schema.ts';
import { tableRows } from './table-rows.ts';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, archivedTables, type Manifest } from './tables.ts';

/**
 * Writes the whole chat to one .tar.gz: manifest.json, then every file's
 * bytes as files/<blob key>, then each table as tables/<name>.jsonl (one
 * row per line, columns as stored). Files come before the tables so that
 * an import has stored the bytes, under new keys, before it writes the rows
 * that point at them. One read transaction: a snapshot, even while the
 * server runs (a message deleted meanwhile may have lost its bytes: then
 * the export fails and says so).
 */
export async function exportArchive(db: Kysely<Database>, blobs: BlobStore, file: string): Promise<Manifest> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'pockychat-export-'));
  try {
    return await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const tables = await dumpTables(trx, scratch);
        const blobKeys = await fileBlobs(trx);
        const manifest: Manifest = {
          format: ARCHIVE_FORMAT,
          version: ARCHIVE_VERSION,
          exportedAt: new Date().toISOString(),
          migrations: await appliedMigrations(trx),
          rows: Object.fromEntries(tables.map((t) => [t.name, t.rows])),
          files: blobKeys.length,
        };
        const archive = pack();
        const written = pipeline(archive, createGzip(), createWriteStream(file));
        await addEntry(archive, 'manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
        for (const { key, size } of blobKeys) await addStream(archive, `files/${key}`, size, blobs.open(key));
        for (const t of tables) await addFile(archive, `tables/${t.name}.jsonl`, t.path);
        archive.finalize();
        await written;
        return manifest;
      });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function dumpTables(db: QueryExecutorProvider, dir: string) {
  const dumped: { name: string; path: string; rows: number }[] = [];
  for (const table of archivedTables) {
    const file = path.join(dir, `${table.name}.jsonl`);
    const out = createWriteStream(file);
    let rows = 0;
    for await (const row of tableRows(db, table)) {
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
      rows++;
    }
    out.end();
    await once(out, 'finish');
    dumped.push({ name: table.name, path: file, rows });
  }
  return dumped;
}

async function fileBlobs(db: Kysely<Database>): Promise<{ key: string; size: number }[]> {
  const rows = await db.selectFrom('files').select(['blob_key', 'size']).orderBy('id').execute();
  return rows.map((r) => ({ key: r.blob_key, size: Number(r.size) }));
}

export async function appliedMigrations(db: QueryExecutorProvider): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

function addEntry(archive: Pack, name: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => archive.entry({ name }, bytes, (err) => (err ? reject(err) : resolve())));
}

async function addStream(archive: Pack, name: string, size: number, source: NodeJS.ReadableStream): Promise<void> {
  const entry = archive.entry({ name, size });
  try {
    await pipeline(source, entry);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `the bytes of ${name} are missing from the uploads directory` : (err as Error).message, {
      cause: err,
    });
  }
}

async function addFile(archive: Pack, name: string, file: string): Promise<void> {
  await addStream(archive, name, (await stat(file)).size, createReadStream(file));
}
