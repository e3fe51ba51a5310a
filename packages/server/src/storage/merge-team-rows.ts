import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * A guest merged into an account (merge-users.ts): its bans and mutes become
 * the account's, so signing in is no way around them (where both have one,
 * the account keeps its own ban, and the later end of the two mutes; a ban
 * ends the account's membership as it would have), and the audit log names
 * the account where it named the guest.
 */
export async function mergeTeamRows(trx: Transaction<Database>, from: string, into: string): Promise<void> {
  await sql`insert into bans (room, user_id, banned_by, at)
            select room, ${into}, banned_by, at from bans where user_id = ${from}
            on conflict (room, user_id) do nothing`.execute(trx);
  await trx.deleteFrom('bans').where('user_id', '=', from).execute();
  await trx.updateTable('bans').set({ banned_by: into }).where('banned_by', '=', from).execute();
  // As a ban does: the account leaves the rooms the guest was banned from (an owner is never banned).
  await sql`delete from memberships where user_id = ${into} and role <> 'owner'
            and room in (select room from bans where user_id = ${into})`.execute(trx);
  await sql`delete from invites where user_id = ${into}
            and room in (select room from bans where user_id = ${into})`.execute(trx);
  await sql`insert into mutes (room, user_id, muted_by, until)
            select room, ${into}, muted_by, until from mutes where user_id = ${from}
            on conflict (room, user_id) do update set until = case
              when excluded.until > mutes.until then excluded.until else mutes.until end`.execute(trx);
  await trx.deleteFrom('mutes').where('user_id', '=', from).execute();
  await trx.updateTable('mutes').set({ muted_by: into }).where('muted_by', '=', from).execute();
  await trx.updateTable('audit_log').set({ actor_id: into }).where('actor_id', '=', from).execute();
  await trx.updateTable('audit_log').set({ target_user_id: into }).where('target_user_id', '=', from).execute();
}
