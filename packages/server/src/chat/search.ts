import { searchLimits, type Message, type User } from '@pockychat/protocol';
import { ChatError } from './chat-error.ts';
import { assertCanRead } from './permissions.ts';
import type { ModerationStore } from './ports/moderation-store.ts';
import type { RoomAccess } from './ports/room-store.ts';
import type { SearchStore } from './ports/search-store.ts';
import { parseSearchQuery } from './search-query.ts';
import { rank } from './search-ranking.ts';

/**
 * How many of the newest matches are ranked by relevance. A common word
 * matches most of a room; ranking every match would grow with history, so
 * the best matches are the best among the newest CANDIDATES.
 */
export const SEARCH_CANDIDATES = 100;

export interface SearchRequest {
  q: string;
  room?: string | undefined;
  limit?: number | undefined;
}

/**
 * The rooms a user may read now, by the rule of permissions.ts: every public
 * room the user is not banned from, and the private rooms and DMs the user
 * is a member of. Read afresh for each query, so a member removed (or
 * banned) a moment ago finds nothing there.
 */
export async function readableRooms(store: SearchStore & ReadAccess, user: User): Promise<string[]> {
  const [publicRooms, memberRooms, banned] = await Promise.all([
    store.publicRoomNames(),
    store.memberRoomNames(user.id),
    store.moderation.bannedRooms(user.id),
  ]);
  const refused = new Set(banned);
  return [...new Set([...publicRooms.filter((room) => !refused.has(room)), ...memberRooms])];
}

/** What the search reads beside its index: who may read which room. */
type ReadAccess = RoomAccess & { readonly moderation: Pick<ModerationStore, 'bannedRooms'> };

/** GET /search: messages of the rooms the caller may read, best matches first. */
export class SearchService {
  readonly #store: SearchStore & ReadAccess;

  constructor(store: SearchStore & ReadAccess) {
    this.#store = store;
  }

  async search(user: User, request: SearchRequest): Promise<Message[]> {
    const terms = parseSearchQuery(request.q);
    if (terms.length === 0) throw new ChatError('bad_request', 'q has no words to search for');
    const rooms = request.room
      ? [(await assertCanRead(this.#store, user, request.room)).name]
      : await readableRooms(this.#store, user);
    if (rooms.length === 0) return [];
    const limit = request.limit ?? searchLimits.defaultLimit;
    const candidates = await this.#store.searchCandidates(terms, rooms, Math.max(SEARCH_CANDIDATES, limit));
    const best = rank(candidates, terms, limit);
    const byId = new Map((await this.#store.messagesByIds(best.map((c) => c.id))).map((m) => [m.id, m]));
    // A message deleted between the two reads is left out.
    return best.flatMap((c) => byId.get(c.id) ?? []).filter((m) => !m.deleted);
  }
}
