import { sql, type Transaction } from 'kysely';
import { dmParticipants, dmRoomName } from '@pockychat/protocol';
import { mergeTeamRows } from './merge-team-rows.ts';
import type { Database } from './schema.ts';
import { mergePushRows } from './merge-push-rows.ts';
import { mergeGroupDmRows } from './sql/merge-group-dms.ts';

/**
 * Moves every row of user `from` to user `into`, then deletes `from`. Runs
 * inside the caller's transaction, with foreign keys checked at commit.
 */
export async function mergeUserRows(trx: Transaction<Database>, from: string, into: string): Promise<void> {
  await sql`insert into memberships (room, user_id, role, joined_at)
            select room, ${into}, role, joined_at from memberships where user_id = ${from}
            on conflict (room, user_id) do update set role = case
              when excluded.role = 'owner' then 'owner'
              when excluded.role = 'moderator' and memberships.role = 'member' then 'moderator'
              else memberships.role end`.execute(trx);
  await trx.deleteFrom('memberships').where('user_id', '=', from).execute();
  await trx.updateTable('rooms').set({ owner_id: into }).where('owner_id', '=', from).execute();

  // clientIds are unique per author: keep the merged ones apart from the account's own.
  await sql`update messages set client_id = client_id || ':' || ${from}
            where author_id = ${from}
              and client_id in (select client_id from messages where author_id = ${into})`.execute(trx);
  await trx.updateTable('messages').set({ author_id: into }).where('author_id', '=', from).execute();

  await sql`insert into reactions (message_id, user_id, emoji)
            select message_id, ${into}, emoji from reactions where user_id = ${from}
            on conflict do nothing`.execute(trx);
  await trx.deleteFrom('reactions').where('user_id', '=', from).execute();
  await sql`update invites set user_id = ${into} where user_id = ${from}
            and room not in (select room from invites where user_id = ${into})`.execute(trx);
  await trx.deleteFrom('invites').where('user_id', '=', from).execute();
  await sql`insert into read_markers (user_id, room, seq)
            select ${into}, room, seq from read_markers where user_id = ${from}
            on conflict (user_id, room) do update set seq = case
              when excluded.seq > read_markers.seq then excluded.seq else read_markers.seq end`.execute(trx);
  await trx.deleteFrom('read_markers').where('user_id', '=', from).execute();
  await moveMentions(trx, from, into);
  await sql`insert into message_mentions (message_id, room, seq, user_id)
            select message_id, room, seq, ${into} from message_mentions where user_id = ${from}
            on conflict do nothing`.execute(trx);
  await trx.deleteFrom('message_mentions').where('user_id', '=', from).execute();
  await mergeTeamRows(trx, from, into);
  // The guest's tokens end with it: one someone else kept must not open the account.
  await trx.deleteFrom('tokens').where('user_id', '=', from).execute();
  await mergePushRows(trx, from, into);

  await mergeGroupDmRows(trx, from, into);
  await renameDmRooms(trx, from, into);
  await trx.deleteFrom('users').where('id', '=', from).execute();
}

/**
 * The rooms whose rows a merge of `from` writes beneath: those of its
 * messages, of the messages it reacted to, of its memberships, those it
 * owns, and its DM rooms (renamed). Locked first, as a change locks its
 * room before the message, they keep both in one order.
 */
export async function roomsMergeTouches(trx: Transaction<Database>, from: string): Promise<string[]> {
  const { rows } = await sql<{ room: string }>`
    select room from messages where author_id = ${from}
    union select m.room from reactions r join messages m on m.id = r.message_id where r.user_id = ${from}
    union select room from memberships where user_id = ${from}
    union select name from rooms
      where owner_id = ${from} or name like ${`dm:${from}:%`} or name like ${`dm:%:${from}`}`.execute(trx);
  return rows.map((r) => r.room);
}

/** Messages that mentioned the guest mention the account (the web client highlights mentions of its user). */
async function moveMentions(trx: Transaction<Database>, from: string, into: string): Promise<void> {
  const rows = await trx
    .selectFrom('messages')
    .select(['id', 'mentions'])
    .where('id', 'in', (eb) => eb.selectFrom('message_mentions').select('message_id').where('user_id', '=', from))
    .execute();
  for (const row of rows) {
    const ids = JSON.parse(row.mentions ?? '[]') as string[];
    const moved = JSON.stringify([...new Set(ids.map((id) => (id === from ? into : id)))]);
    await trx.updateTable('messages').set({ mentions: moved }).where('id', '=', row.id).execute();
  }
}

/** dm:<from>:<x> becomes dm:<into>:<x>, unless that room already exists (then the old one stays, read-only). */
async function renameDmRooms(trx: Transaction<Database>, from: string, into: string): Promise<void> {
  const rooms = await trx
    .selectFrom('rooms')
    .select('name')
    .where((eb) => eb.or([eb('name', 'like', `dm:${from}:%`), eb('name', 'like', `dm:%:${from}`)]))
    .execute();
  for (const { name } of rooms) {
    const pair = dmParticipants(name);
    if (!pair) continue;
    const other = pair[0] === from ? pair[1] : pair[0];
    if (other === into) continue;
    const renamed = dmRoomName(into, other);
    const taken = await trx.selectFrom('rooms').select('name').where('name', '=', renamed).executeTakeFirst();
    if (taken) continue;
    await trx.updateTable('rooms').set({ name: renamed }).where('name', '=', name).execute();
    const tables = [
      'messages',
      'memberships',
      'invites',
      'files',
      'read_markers',
      'message_mentions',
      'notification_levels',
    ] as const;
    for (const table of tables) {
      await trx.updateTable(table).set({ room: renamed }).where('room', '=', name).execute();
    }
  }
}
