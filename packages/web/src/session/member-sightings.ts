/**
 * Tells when a room's member count, read from the directory at its last refresh, must be behind.
 * The server announces no joins, but whoever posts or types in a room is a member of it: once the
 * people seen in a room (this person included) outnumber the count, someone joined since.
 * Only a face new to the room is checked, so a count that is right (a poster left for good since)
 * costs one look per person, never one per message.
 */
export class MemberSightings {
  private readonly seen = new Map<string, Set<string>>();
  private readonly me: string;

  constructor(me: string) {
    this.me = me;
  }

  /** Someone was active in a room; true when `counted` (undefined: not in the directory) is too low. */
  saw(room: string, userId: string, counted: number | undefined): boolean {
    let people = this.seen.get(room);
    if (!people) this.seen.set(room, (people = new Set([this.me])));
    if (people.has(userId)) return false;
    people.add(userId);
    return counted !== undefined && people.size > counted;
  }
}
