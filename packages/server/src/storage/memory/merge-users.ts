import { dmParticipants, dmRoomName } from '@pockychat/protocol';
import { mergeGroupDmRows } from './merge-group-dms.ts';
import { sentKey, type MemoryTables } from './tables.ts';
import { mergePushRows, renamePushRoom } from './merge-push-rows.ts';
import { mergeTeamRows } from './team-tables.ts';

/** Moves every row of user `from` to user `into`, then deletes `from`: the rules of the SQL merge-users.ts. */
export function mergeUserRows(t: MemoryTables, from: string, into: string): void {
  for (const members of t.memberships.values()) {
    const moved = members.get(from);
    if (!moved) continue;
    const kept = members.get(into);
    if (!kept) members.set(into, { ...moved });
    else if (moved.role === 'owner') kept.role = 'owner';
    else if (moved.role === 'moderator' && kept.role === 'member') kept.role = 'moderator';
    members.delete(from);
  }
  for (const room of t.rooms.values()) if (room.ownerId === from) room.ownerId = into;
  moveMessages(t, from, into);
  for (const row of t.messages.values())
    if (row.mentions.includes(from)) row.mentions = [...new Set(row.mentions.map((id) => (id === from ? into : id)))];
  for (const byEmoji of t.reactions.values())
    for (const users of byEmoji.values()) if (users.delete(from)) users.add(into);

  const invitedInto = new Set(t.invites.filter((i) => i.userId === into).map((i) => i.room));
  t.invites = t.invites
    .filter((i) => i.userId !== from || !invitedInto.has(i.room))
    .map((i) => (i.userId === from ? { ...i, userId: into } : i));
  for (const markers of t.readMarkers.values()) {
    const seq = markers.get(from);
    if (seq === undefined) continue;
    markers.set(into, Math.max(seq, markers.get(into) ?? 0));
    markers.delete(from);
  }
  mergeTeamRows(t.team, from, into);
  // As a ban does: the account leaves the rooms the guest was banned from (an owner is never banned).
  for (const [room, bans] of t.team.bans) {
    if (!bans.has(into)) continue;
    const members = t.memberships.get(room);
    if (members?.get(into)?.role !== 'owner') members?.delete(into);
    t.invites = t.invites.filter((i) => !(i.room === room && i.userId === into));
  }
  // The guest's tokens end with it: one someone else kept must not open the account.
  for (const [hash, token] of t.tokens) if (token.userId === from) t.tokens.delete(hash);
  mergePushRows(t, from, into);

  mergeGroupDmRows(t, from, into);
  renameDmRooms(t, from, into);
  t.users.delete(from);
}

/** clientIds are unique per author: the merged ones that the account also used get the guest's id appended. */
function moveMessages(t: MemoryTables, from: string, into: string): void {
  const moving = [...t.messages.values()].filter((row) => row.authorId === from);
  const taken = new Set(moving.filter((row) => t.sent.has(sentKey(into, row.clientId))).map((row) => row.id));
  for (const row of moving) {
    t.sent.delete(sentKey(from, row.clientId));
    if (taken.has(row.id)) row.clientId = `${row.clientId}:${from}`;
    row.authorId = into;
    t.sent.set(sentKey(into, row.clientId), row.id);
  }
}

/** dm:<from>:<x> becomes dm:<into>:<x>, unless that room already exists (then the old one stays, read-only). */
function renameDmRooms(t: MemoryTables, from: string, into: string): void {
  for (const name of [...t.rooms.keys()]) {
    const pair = dmParticipants(name);
    if (!pair || !pair.includes(from)) continue;
    const other = pair[0] === from ? pair[1] : pair[0];
    if (other === into) continue;
    const renamed = dmRoomName(into, other);
    if (!t.rooms.has(renamed)) renameRoom(t, name, renamed);
  }
}

function renameRoom(t: MemoryTables, name: string, renamed: string): void {
  const room = t.roomRow(name);
  t.rooms.delete(name);
  t.rooms.set(renamed, { ...room, name: renamed });
  const messages = t.roomMessages.get(name) ?? [];
  for (const row of messages) row.room = renamed;
  t.roomMessages.delete(name);
  t.roomMessages.set(renamed, messages);
  const members = t.memberships.get(name);
  t.memberships.delete(name);
  if (members) t.memberships.set(renamed, members);
  t.invites = t.invites.map((i) => (i.room === name ? { ...i, room: renamed } : i));
  for (const file of t.files.values()) if (file.room === name) file.room = renamed;
  const markers = t.readMarkers.get(name);
  t.readMarkers.delete(name);
  if (markers) t.readMarkers.set(renamed, markers);
  renamePushRoom(t, name, renamed);
}
