import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { sql, type Kysely, type QueryExecutorProvider, type Transaction } from 'kysely';
import { extract } from 'tar-stream';
import type { BlobStore } from '../../files/blob-store.ts';
import type { SqlDialect } from '../migrations.ts';
import type { Database } from '../schema.ts';
import { appliedMigrations } from './export-archive.ts';
import { insertRows } from './table-rows.ts';
import { ARCHIVE_FORMAT, archivedTables, type Manifest } from './tables.ts';

type Row = Record<string, unknown>;

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

/**
 * Loads an archive of exportArchive into a fresh server's database (no
 * users, no messages yet): the same rows, seqs, revs and ids, and every
 * file's bytes, checked against their SHA-256. The blob store gives the
 * bytes new keys; the files rows are rewritten to them. All the rows go in
 * one transaction: a failed import leaves the database as it was (and
 * removes the bytes it had stored).
 */
export async function importArchive(
  db: Kysely<Database>,
  dialect: SqlDialect,
  blobs: BlobStore,
  file: string,
): Promise<Manifest> {
  await assertFresh(db);
  const stored: string[] = [];
  try {
    return await db.transaction().execute(async (trx) => {
      const manifest = await readArchive(trx, blobs, file, stored);
      await checkCounts(trx, manifest);
      if (dialect === 'postgres') await moveSequences(trx);
      return manifest;
    });
  } catch (err) {
    await Promise.all(stored.map((key) => blobs.delete(key).catch(() => undefined)));
    throw err;
  }
}

async function readArchive(trx: Transaction<Database>, blobs: BlobStore, file: string, stored: string[]) {
  const entries = extract();
  const reading = pipeline(createReadStream(file), createGunzip(), entries);
  let manifest: Manifest | undefined;
  const newKeys = new Map<string, { key: string; sha256: string }>();
  for await (const tarEntry of entries) {
    const name = tarEntry.header.name;
    const entry = Readable.from(tarEntry);
    if (name === 'manifest.json') manifest = await readManifest(trx, entry);
    else if (!manifest) throw new ArchiveError('not a pockychat archive: manifest.json does not come first');
    else if (name.startsWith('files/')) {
      const blob = await blobs.put(entry, Number.MAX_SAFE_INTEGER);
      stored.push(blob.key);
      newKeys.set(name.slice('files/'.length), { key: blob.key, sha256: blob.sha256 });
    } else if (name.startsWith('tables/')) await loadTable(trx, name.slice(7, -'.jsonl'.length), entry, newKeys);
    else entry.resume();
  }
  await reading;
  if (!manifest) throw new ArchiveError('not a pockychat archive: no manifest.json');
  return manifest;
}

async function readManifest(db: QueryExecutorProvider, entry: Readable): Promise<Manifest> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk as Buffer);
  const manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Manifest;
  if (manifest.format !== ARCHIVE_FORMAT) throw new ArchiveError('not a pockychat archive');
  const here = new Set(await appliedMigrations(db));
  const missing = manifest.migrations.filter((m) => !here.has(m));
  if (missing.length > 0) {
    throw new ArchiveError(
      `the archive comes from a newer pockychat (migrations ${missing.join(', ')}): upgrade first`,
    );
  }
  return manifest;
}

async function loadTable(
  trx: Transaction<Database>,
  table: string,
  entry: Readable,
  newKeys: Map<string, { key: string; sha256: string }>,
): Promise<void> {
  if (!archivedTables.some((t) => t.name === table)) throw new ArchiveError(`unknown table ${table} in the archive`);
  // The fresh database's own lobby row makes way for the archive's.
  if (table === 'rooms') await trx.deleteFrom('rooms').execute();
  let batch: Row[] = [];
  for await (const line of createInterface({ input: entry, crlfDelay: Infinity })) {
    if (line === '') continue;
    const row = JSON.parse(line) as Row;
    batch.push(table === 'files' ? rekeyFile(row, newKeys) : row);
    if (batch.length === 2000) {
      await insertRows(trx, table, batch);
      batch = [];
    }
  }
  await insertRows(trx, table, batch);
}

function rekeyFile(row: Row, newKeys: Map<string, { key: string; sha256: string }>): Row {
  const blob = newKeys.get(String(row.blob_key));
  if (!blob) throw new ArchiveError(`the bytes of file ${String(row.id)} are not in the archive`);
  if (blob.sha256 !== row.sha256)
    throw new ArchiveError(`the bytes of file ${String(row.id)} do not match their SHA-256`);
  return { ...row, blob_key: blob.key };
}

async function assertFresh(db: Kysely<Database>): Promise<void> {
  const users = await db
    .selectFrom('users')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  const messages = await db
    .selectFrom('messages')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  if (Number(users.n) > 0 || Number(messages.n) > 0) {
    throw new ArchiveError('the target database is not fresh (it has users or messages): import into a new one');
  }
}

async function checkCounts(trx: Transaction<Database>, manifest: Manifest): Promise<void> {
  for (const table of archivedTables) {
    const expected = manifest.rows[table.name] ?? 0;
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`.execute(trx);
    const n = Number(rows[0]?.n ?? 0);
    if (n !== expected) throw new ArchiveError(`${table.name}: ${n} rows imported, the archive has ${expected}`);
  }
}

/** Serial ids were inserted as they were: the sequences must start after them. */
async function moveSequences(trx: Transaction<Database>): Promise<void> {
  for (const { name, serial } of archivedTables) {
    if (!serial) continue;
    await sql`select setval(pg_get_serial_sequence(${name}, ${serial}), coalesce((select max(${sql.ref(serial)}) from ${sql.table(name)}), 0) + 1, false)`.execute(
      trx,
    );
  }
}
