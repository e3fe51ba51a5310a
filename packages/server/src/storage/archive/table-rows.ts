import { sql, type QueryExecutorProvider } from 'kysely';
import type { ArchivedTable } from './tables.ts';

type Row = Record<string, unknown>;

/** Every row of a table in key order, a page at a time (keyset paging on the key columns). */
export async function* tableRows(
  db: QueryExecutorProvider,
  table: ArchivedTable,
  pageSize = 2000,
): AsyncGenerator<Row> {
  const keys = sql.join(table.key.map((k) => sql.ref(k)));
  let after: unknown[] | undefined;
  for (;;) {
    const from = after ? sql`where (${keys}) > (${sql.join(after.map((v) => sql`${v}`))})` : sql``;
    const { rows } =
      await sql<Row>`select * from ${sql.table(table.name)} ${from} order by ${keys} limit ${pageSize}`.execute(db);
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    const last = rows.at(-1) as Row;
    after = table.key.map((k) => last[k]);
  }
}

/** Inserts rows as they were, in batches under PostgreSQL's 65,535 parameters. */
export async function insertRows(db: QueryExecutorProvider, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as Row);
  const perBatch = Math.max(1, Math.floor(60_000 / columns.length));
  for (let i = 0; i < rows.length; i += perBatch) {
    const values = rows
      .slice(i, i + perBatch)
      .map((row) => sql`(${sql.join(columns.map((c) => sql`${row[c] ?? null}`))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(
      db,
    );
  }
}
