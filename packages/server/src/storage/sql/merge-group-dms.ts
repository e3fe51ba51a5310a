import { sql, type Transaction } from 'kysely';
import { participantKey } from '../../chat/link-rules.ts';
import type { Database } from '../schema.ts';

/**
 * A guest merged into an account (inside merge-users' transaction): its
 * group DM seats and the invite links it made move to the account. A group
 * whose set of people changed gets the new set's key, unless another group
 * already has that set: then it keeps working but no longer answers for it
 * (key null), and `POST /group-dms` finds the other one.
 */
export async function mergeGroupDmRows(trx: Transaction<Database>, from: string, into: string): Promise<void> {
  await trx.updateTable('invite_links').set({ created_by: into }).where('created_by', '=', from).execute();
  const rooms = await trx.selectFrom('group_dm_participants').select('room').where('user_id', '=', from).execute();
  if (rooms.length === 0) return;
  await sql`insert into group_dm_participants (room, user_id)
            select room, ${into} from group_dm_participants where user_id = ${from}
            on conflict do nothing`.execute(trx);
  await trx.deleteFrom('group_dm_participants').where('user_id', '=', from).execute();
  for (const { room } of rooms) {
    const ids = await trx.selectFrom('group_dm_participants').select('user_id').where('room', '=', room).execute();
    const key = participantKey(ids.map((r) => r.user_id));
    const other = await trx
      .selectFrom('group_dms')
      .select('room')
      .where('participant_key', '=', key)
      .where('room', '<>', room)
      .executeTakeFirst();
    await trx
      .updateTable('group_dms')
      .set({ participant_key: other ? null : key })
      .where('room', '=', room)
      .execute();
  }
}
