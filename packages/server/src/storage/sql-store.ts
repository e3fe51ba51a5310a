import { sql, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import type { FileRef, Message, RoomSummary, User, UserKind, Visibility } from '@pockychat/protocol';
import type { Database, MessagesTable } from './schema.ts';
import { mergeUserRows } from './merge-users.ts';
import type {
  AccountChange,
  AppendResult,
  FileRecord,
  Invite,
  Invitee,
  Member,
  HistoryRange,
  LikeResult,
  MemberRole,
  NewMessage,
  NewRoom,
  NewUser,
  Room,
  Store,
  StoredMessage,
} from './store.ts';
import { GroupCommit } from './group-commit.ts';
import { PreparedCache, PreparedQuery, type Bindable } from './prepared-query.ts';
import { appendOne, BatchAppend, ResentInBatch, type LockRooms } from './append.ts';
import type { SqlOutbox } from './outbox.ts';

/**
 * seq is an `integer` column: PostgreSQL refuses a bound past 2^31 - 1 as out
 * of range (a 500) where SQLite compares it. No seq can be larger, so a
 * larger bound means the same as this one.
 */
const MAX_SEQ = 2_147_483_647;

type MessageRow = Selectable<MessagesTable> & { author_name: string; author_kind: string };

/** What differs between the SQL databases beneath one Store implementation. */
export interface SqlDialectOps {
  /** Makes foreign keys checked at commit for the rest of the transaction (a DM room rename moves keys). */
  deferForeignKeys(trx: Transaction<Database>): Promise<void>;
  /** Locks rooms' rows in the order given (PostgreSQL: several nodes write at once). */
  lockRooms?: LockRooms;
  /** Work at close, before the connections go (SQLite checkpoints its WAL). */
  beforeClose?(db: Kysely<Database>): Promise<void>;
  /** Several nodes: each message also gets an outbox row, in its transaction (storage/outbox.ts). */
  outbox?: SqlOutbox;
}

/** Brings a database's schema up to date; throws if a migration fails. */
export async function migrate(db: Kysely<Database>, provider: MigrationProvider): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  }
}

/**
 * The Store over Kysely, shared by SQLite and PostgreSQL. Seq stays gap-free
 * because `UPDATE rooms SET last_seq = last_seq + 1 … RETURNING` holds the
 * room's row (SQLite: the database) until commit, so two writers of a room,
 * on one node or several, take turns and a rolled-back one gives its number back.
 */
export class SqlStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #ops: SqlDialectOps;
  readonly #appends: GroupCommit<NewMessage, AppendResult>;
  readonly #history: HistoryQueries;
  readonly #batchAppend: BatchAppend;

  constructor(db: Kysely<Database>, ops: SqlDialectOps) {
    this.#db = db;
    this.#ops = ops;
    this.#history = new HistoryQueries(db);
    this.#batchAppend = new BatchAppend(db, ops.lockRooms, ops.outbox);
    this.#appends = new GroupCommit(
      (inputs) => this.#appendBatch(inputs),
      (input) => this.#db.transaction().execute((trx) => appendOne(trx, input, this.#findSent, ops.outbox)),
    );
  }

  /** The outbox this store writes, if it was opened for several nodes. */
  get outbox(): SqlOutbox | undefined {
    return this.#ops.outbox;
  }

  async createUser(user: NewUser): Promise<User> {
    await this.#db
      .insertInto('users')
      .values({
        id: user.id,
        name: user.name,
        kind: user.kind,
        created_at: user.createdAt,
        email: user.email ?? null,
        password_hash: user.passwordHash ?? null,
        facebook_id: user.facebookId ?? null,
      })
      .execute();
    return { id: user.id, name: user.name, kind: user.kind };
  }

  async findUserByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'name', 'kind', 'password_hash'])
      .where('email', '=', email)
      .executeTakeFirst();
    return row && { user: toUser(row.id, row.name, row.kind), passwordHash: row.password_hash };
  }

  async findUserByFacebookId(facebookId: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'name', 'kind'])
      .where('facebook_id', '=', facebookId)
      .executeTakeFirst();
    return row && toUser(row.id, row.name, row.kind);
  }

  async upgradeGuest(guestId: string, change: AccountChange): Promise<User> {
    const result = await this.#db
      .updateTable('users')
      .set({
        kind: change.kind,
        name: change.name,
        email: change.email ?? null,
        password_hash: change.passwordHash ?? null,
        facebook_id: change.facebookId ?? null,
      })
      .where('id', '=', guestId)
      .where('kind', '=', 'guest')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Error(`user ${guestId} is not a guest`);
    return { id: guestId, name: change.name, kind: change.kind };
  }

  async mergeUsers(fromId: string, intoId: string): Promise<void> {
    await this.#appends.idle();
    await this.#db.transaction().execute(async (trx) => {
      // Renaming a DM room touches the rows that reference it: check the keys at commit.
      await this.#ops.deferForeignKeys(trx);
      await mergeUserRows(trx, fromId, intoId);
    });
  }

  async findUser(id: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'name', 'kind'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row.id, row.name, row.kind);
  }

  async saveToken(tokenHash: string, userId: string, createdAt: string): Promise<void> {
    await this.#db
      .insertInto('tokens')
      .values({ token_hash: tokenHash, user_id: userId, created_at: createdAt })
      .execute();
  }

  async findUserByToken(tokenHash: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('tokens')
      .innerJoin('users', 'users.id', 'tokens.user_id')
      .select(['users.id', 'users.name', 'users.kind'])
      .where('tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toUser(row.id, row.name, row.kind);
  }

  async deleteTokensOf(userId: string): Promise<void> {
    await this.#db.deleteFrom('tokens').where('user_id', '=', userId).execute();
  }

  async deleteToken(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom('tokens').where('token_hash', '=', tokenHash).execute();
  }

  async findRoom(name: string): Promise<Room | undefined> {
    const row = await this.#db.selectFrom('rooms').selectAll().where('name', '=', name).executeTakeFirst();
    return (
      row && { name: row.name, visibility: row.visibility as Visibility, ownerId: row.owner_id, lastSeq: row.last_seq }
    );
  }

  async ensureRoom(room: NewRoom): Promise<Room> {
    await this.#db
      .insertInto('rooms')
      .values({
        name: room.name,
        visibility: room.visibility,
        owner_id: room.ownerId,
        last_seq: 0,
        created_at: room.createdAt,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const stored = await this.findRoom(room.name);
    if (!stored) throw new Error(`room ${room.name} vanished after insert`);
    return stored;
  }

  async isMember(room: string, userId: string): Promise<boolean> {
    return (await this.memberRole(room, userId)) !== undefined;
  }

  async addMember(room: string, userId: string, role: MemberRole, joinedAt: string): Promise<void> {
    await this.#db
      .insertInto('memberships')
      .values({ room, user_id: userId, role, joined_at: joinedAt })
      .onConflict((oc) => oc.columns(['room', 'user_id']).doNothing())
      .execute();
  }

  async memberRole(room: string, userId: string): Promise<MemberRole | undefined> {
    const row = await this.#db
      .selectFrom('memberships')
      .select('role')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role as MemberRole | undefined;
  }

  async removeMember(room: string, userId: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('memberships')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listMembers(room: string): Promise<Member[]> {
    const rows = await this.#db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.name', 'users.kind', 'memberships.role'])
      .where('memberships.room', '=', room)
      .orderBy('users.name')
      .execute();
    return rows.map((r) => ({ user: toUser(r.id, r.name, r.kind), role: r.role as MemberRole }));
  }

  async addInvite(room: string, invitee: Invitee, invitedBy: string, createdAt: string): Promise<void> {
    await this.#db
      .insertInto('invites')
      .values({
        room,
        user_id: 'userId' in invitee ? invitee.userId : null,
        email: 'email' in invitee ? invitee.email : null,
        facebook_id: 'facebookId' in invitee ? invitee.facebookId : null,
        invited_by: invitedBy,
        created_at: createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async isInvited(room: string, userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('invites')
      .select('id')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async deleteInvite(room: string, userId: string): Promise<void> {
    await this.#db.deleteFrom('invites').where('room', '=', room).where('user_id', '=', userId).execute();
  }

  async claimInvites(userId: string, by: { email?: string; facebookId?: string }): Promise<string[]> {
    return this.#db.transaction().execute(async (trx) => {
      const pending = await trx
        .selectFrom('invites')
        .select(['id', 'room'])
        .where('user_id', 'is', null)
        .where((eb) => eb.or([eb('email', '=', by.email ?? null), eb('facebook_id', '=', by.facebookId ?? null)]))
        .execute();
      for (const invite of pending) {
        await trx
          .insertInto('invites')
          .values((eb) => ({
            room: invite.room,
            user_id: userId,
            email: null,
            facebook_id: null,
            invited_by: eb.selectFrom('invites').select('invited_by').where('id', '=', invite.id),
            created_at: eb.selectFrom('invites').select('created_at').where('id', '=', invite.id),
          }))
          .onConflict((oc) => oc.doNothing())
          .execute();
        await trx.deleteFrom('invites').where('id', '=', invite.id).execute();
      }
      return [...new Set(pending.map((p) => p.room))];
    });
  }

  async listRooms(userId: string): Promise<RoomSummary[]> {
    const rows = await this.#db
      .selectFrom('rooms')
      .select((eb) => [
        'rooms.name',
        'rooms.visibility',
        eb
          .selectFrom('memberships')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('memberships.room', '=', 'rooms.name')
          .as('members'),
        eb
          .selectFrom('memberships')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('memberships.room', '=', 'rooms.name')
          .where('memberships.user_id', '=', userId)
          .as('mine'),
      ])
      .where((eb) =>
        eb.or([
          eb('rooms.visibility', '=', 'public'),
          eb.exists(
            eb
              .selectFrom('memberships')
              .select('memberships.room')
              .whereRef('memberships.room', '=', 'rooms.name')
              .where('memberships.user_id', '=', userId),
          ),
        ]),
      )
      .orderBy('rooms.name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      visibility: r.visibility as Visibility,
      members: Number(r.members ?? 0),
      member: Number(r.mine ?? 0) > 0,
    }));
  }

  async listInvites(userId: string): Promise<Invite[]> {
    const rows = await this.#db
      .selectFrom('invites')
      .innerJoin('users', 'users.id', 'invites.invited_by')
      .select(['invites.room', 'users.id', 'users.name', 'users.kind'])
      .where('invites.user_id', '=', userId)
      .orderBy('invites.created_at')
      .execute();
    return rows.map((r) => ({ room: r.room, by: toUser(r.id, r.name, r.kind) }));
  }

  appendMessage(input: NewMessage): Promise<AppendResult> {
    return this.#appends.submit(input);
  }

  /**
   * A group commit's batch in one transaction: the fast path (appendAll),
   * or, when the batch holds a resent clientId, each message exactly in turn.
   */
  async #appendBatch(inputs: NewMessage[]): Promise<AppendResult[]> {
    try {
      return await this.#db.transaction().execute((trx) => this.#batchAppend.run(trx, inputs));
    } catch (err) {
      if (!(err instanceof ResentInBatch)) throw err;
    }
    return this.#db.transaction().execute(async (trx) => {
      const results: AppendResult[] = [];
      for (const input of inputs) results.push(await appendOne(trx, input, this.#findSent, this.#ops.outbox));
      return results;
    });
  }

  async findSent(authorId: string, clientId: string): Promise<StoredMessage | undefined> {
    return this.#findSent(this.#db, authorId, clientId);
  }

  // A field, not a method: appendOne is handed it as a callback.
  readonly #findSent = async (
    db: Kysely<Database> | Transaction<Database>,
    authorId: string,
    clientId: string,
  ): Promise<StoredMessage | undefined> => {
    const row = await this.#selectMessages(db)
      .where('messages.author_id', '=', authorId)
      .where('messages.client_id', '=', clientId)
      .executeTakeFirst();
    if (!row) return undefined;
    const [message] = await this.#withLikes(db, [row]);
    return { message: message as Message, clientId: row.client_id, clientDate: parseClientDate(row.client_date) };
  };

  /**
   * A page of a room's messages, from the (room, seq) index (since-date: the
   * (room, date) one). The queries are compiled once (HistoryQueries); each row says
   * whether its message has likes, so the likes lookup runs only for those
   * (most pages have none).
   */
  async history(room: string, range: HistoryRange): Promise<Message[]> {
    const bound = range.kind === 'since-date' ? range.date : Math.min(range.seq, MAX_SEQ);
    const rows = await this.#history.run(range.kind, range.limit, room, bound);
    if (range.kind === 'before-seq') rows.reverse();
    const liked: string[] = [];
    for (const row of rows) if (row.has_likes) liked.push(row.id);
    const likes = await this.#likesOf(this.#db, liked);
    return rows.map((row) => toMessage(row, room, likes.get(row.id) ?? []));
  }

  async findMessage(room: string, id: string): Promise<Message | undefined> {
    const row = await this.#selectMessages(this.#db)
      .where('messages.room', '=', room)
      .where('messages.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const [message] = await this.#withLikes(this.#db, [row]);
    return message;
  }

  async findFile(id: string): Promise<FileRecord | undefined> {
    const row = await this.#db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
    const message = row && (await this.findMessage(row.room, row.message_id));
    if (!row || !message?.file) return undefined;
    return {
      ref: message.file,
      room: row.room,
      messageId: row.message_id,
      blobKey: row.blob_key,
      sha256: row.sha256,
      inline: row.inline === 1,
    };
  }

  async setLike(messageId: string, userId: string, liked: boolean): Promise<LikeResult> {
    return this.#db.transaction().execute(async (trx) => {
      const result = liked
        ? await trx
            .insertInto('likes')
            .values({ message_id: messageId, user_id: userId })
            .onConflict((oc) => oc.columns(['message_id', 'user_id']).doNothing())
            .executeTakeFirst()
        : await trx
            .deleteFrom('likes')
            .where('message_id', '=', messageId)
            .where('user_id', '=', userId)
            .executeTakeFirst();
      const changed =
        Number('numInsertedOrUpdatedRows' in result ? result.numInsertedOrUpdatedRows : result.numDeletedRows) > 0;
      const likes = await this.#likesOf(trx, [messageId]);
      return { changed, likes: likes.get(messageId) ?? [] };
    });
  }

  async close(): Promise<void> {
    await this.#appends.idle();
    // Kysely serialises on its single SQLite connection, so destroy() runs
    // after every query already queued, including open transactions.
    await this.#ops.beforeClose?.(this.#db).catch(() => undefined);
    await this.#db.destroy();
  }

  #selectMessages(db: Kysely<Database> | Transaction<Database>) {
    return db
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.author_id')
      .selectAll('messages')
      .select(['users.name as author_name', 'users.kind as author_kind']);
  }

  async #withLikes(db: Kysely<Database> | Transaction<Database>, rows: MessageRow[]): Promise<Message[]> {
    const likes = await this.#likesOf(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((row) => toMessage(row, row.room, likes.get(row.id) ?? []));
  }

  async #likesOf(db: Kysely<Database> | Transaction<Database>, ids: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (ids.length === 0) return map;
    const rows = await db
      .selectFrom('likes')
      .select(['message_id', 'user_id'])
      .where('message_id', 'in', ids)
      .orderBy('user_id')
      .execute();
    for (const row of rows) {
      const list = map.get(row.message_id) ?? [];
      list.push(row.user_id);
      map.set(row.message_id, list);
    }
    // Code-unit order, the same on every database whatever its collation.
    for (const list of map.values()) list.sort();
    return map;
  }
}

type HistoryArgs = Record<'room' | 'bound', Bindable>;
type HistoryKind = HistoryRange['kind'];
type HistoryQuery = PreparedQuery<keyof HistoryArgs, HistoryRow>;

/**
 * The history pages, compiled once per kind and limit: only the columns a
 * Message needs (the room is the one asked for), and has_likes, an index
 * probe per row on the likes key. The limit is a literal: SQLite re-prepares
 * a statement whose LIMIT is a bound parameter each time it is bound (it
 * plans with the value), which cost more than reading the 100 rows.
 */
class HistoryQueries {
  readonly #db: Kysely<Database>;
  /** Per kind, by limit: few limits are in use (the edge allows 1-500). */
  readonly #byKind = new Map<HistoryKind, PreparedCache<number, HistoryQuery>>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  run(kind: HistoryKind, limit: number, room: string, bound: string | number): Promise<HistoryRow[]> {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`history limit ${limit} is not a count`);
    let byLimit = this.#byKind.get(kind);
    if (!byLimit) {
      byLimit = new PreparedCache(64, (n) => new PreparedQuery(['room', 'bound'], (p) => this.#build(kind, n, p)));
      this.#byKind.set(kind, byLimit);
    }
    return byLimit.get(limit).run(this.#db, [room, bound]);
  }

  #build(kind: HistoryKind, limit: number, p: HistoryArgs) {
    const page = this.#db
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.author_id')
      .select((eb) => [
        'messages.id',
        'messages.seq',
        'messages.author_id',
        'messages.text',
        'messages.date',
        'messages.file',
        'users.name as author_name',
        'users.kind as author_kind',
        eb
          .exists(eb.selectFrom('likes').select('likes.user_id').whereRef('likes.message_id', '=', 'messages.id'))
          .as('has_likes'),
      ])
      .where('messages.room', '=', p.room as string)
      .limit(sql.lit(limit));
    switch (kind) {
      case 'since-seq':
        return page.where('messages.seq', '>', p.bound as number).orderBy('messages.seq', 'asc');
      case 'before-seq':
        return page.where('messages.seq', '<', p.bound as number).orderBy('messages.seq', 'desc');
      case 'since-date':
        return page
          .where('messages.date', '>', p.bound as string)
          .orderBy('messages.date', 'asc')
          .orderBy('messages.seq', 'asc');
    }
  }
}

interface HistoryRow {
  id: string;
  seq: number;
  author_id: string;
  text: string;
  date: string;
  file: string | null;
  author_name: string;
  author_kind: string;
  /** 0/1 on SQLite, a boolean on PostgreSQL. */
  has_likes: SqlBool;
}

function toUser(id: string, name: string, kind: string): User {
  return { id, name, kind: kind as UserKind };
}

/** The columns a Message is made of; the room is the one asked for. */
type MessageColumns = Pick<
  HistoryRow,
  'id' | 'seq' | 'author_id' | 'author_name' | 'author_kind' | 'text' | 'date' | 'file'
>;

function toMessage(row: MessageColumns, room: string, likes: string[]): Message {
  const message: Message = {
    id: row.id,
    room,
    seq: row.seq,
    author: toUser(row.author_id, row.author_name, row.author_kind),
    text: row.text,
    date: row.date,
    likes,
  };
  if (row.file) message.file = JSON.parse(row.file) as FileRef;
  return message;
}

function parseClientDate(json: string | null): string | number | undefined {
  return json === null ? undefined : (JSON.parse(json) as string | number);
}
