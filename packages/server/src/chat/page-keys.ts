/** The keyset cursors of the admin lists: made and checked by the domain, read by the stores. */

/** A user list's key: its creation date and id, opaque to clients. */
export function encodeUserKey(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

/** undefined for a cursor this server did not make (the caller answers bad_request). */
export function decodeUserKey(cursor: string): { createdAt: string; id: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return { createdAt: value[0] as string, id: value[1] as string };
  } catch {
    // Not JSON: handled below like any other foreign cursor.
  }
  return undefined;
}

/** A LIKE pattern for "contains q", lower-case, with %, _ and \ escaped (ESCAPE '\'). */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
