import type { ServerFrame } from '@pockychat/protocol';

export type LikesFrame = Extract<ServerFrame, { type: 'likes' }>;

/**
 * A likes frame carries a message's whole like list and no version, so a
 * frame that arrives late (a node's backlog replayed after a Redis outage,
 * two nodes' changes crossing in Redis) would leave clients with an older
 * list than the database's. Each frame therefore goes out with the list
 * read afresh, one read at a time per message: whatever order the frames
 * come in, the last one sent holds the list as it was after the last change.
 * If the read fails, the frame goes as it came.
 */
export class FreshLikes {
  readonly #read: (room: string, messageId: string) => Promise<string[] | undefined>;
  /** The last refresh queued per message; each waits for the one before it. */
  readonly #queued = new Map<string, Promise<void>>();

  constructor(read: (room: string, messageId: string) => Promise<string[] | undefined>) {
    this.#read = read;
  }

  /**
   * Calls `send` with the frame, its list brought up to date, after every
   * earlier frame of the same message; resolves once it has been sent.
   */
  refresh(frame: LikesFrame, send: (frame: LikesFrame) => void): Promise<void> {
    const { messageId } = frame;
    const go = async () => {
      const likes = await this.#read(frame.room, messageId).catch(() => undefined);
      send(likes ? { ...frame, likes } : frame);
    };
    // After the one before, however that one ended.
    const next = (this.#queued.get(messageId) ?? Promise.resolve()).then(go, go);
    this.#queued.set(messageId, next);
    const forget = () => {
      if (this.#queued.get(messageId) === next) this.#queued.delete(messageId);
    };
    return next.then(forget, forget);
  }
}
