/** What a frame asked for, kept until its one direct answer (matched by the frame's `id`) comes back. */
export type Request =
  | { kind: 'join'; room: string }
  | { kind: 'leave'; room: string }
  | { kind: 'send'; clientId: string }
  | { kind: 'change'; room: string; messageId: string; what: 'edit' | 'delete' | 'react' | 'unreact' | 'like' };

/**
 * Request ids of one connection. A dropped connection answers nothing more, so `clear` forgets
 * every open request: a join is sent again on reopen, a pending send is resent with its clientId.
 */
export class Requests {
  private next = 0;
  private readonly open = new Map<string, Request>();

  /** A fresh id for a frame, remembering what it asked. */
  issue(request: Request): string {
    this.next += 1;
    const id = `r${this.next.toString(36)}`;
    this.open.set(id, request);
    return id;
  }

  /** The request an answer belongs to; each id is answered once, so it is forgotten. */
  settle(id: string | undefined): Request | undefined {
    if (id === undefined) return undefined;
    const request = this.open.get(id);
    this.open.delete(id);
    return request;
  }

  /** Forgets a request whose frame could not be written. */
  drop(id: string): void {
    this.open.delete(id);
  }

  clear(): void {
    this.open.clear();
  }
}
