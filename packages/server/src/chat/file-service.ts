import type { Readable } from 'node:stream';
import type { Message, User } from '@pockychat/protocol';
import type { BlobStore, StoredBlob } from '../files/blob-store.ts';
import { BlobTooLargeError } from '../files/blob-store.ts';
import { imageDimensions, MAX_IMAGE_PIXELS, sniffType, type SniffedType } from '../files/file-type.ts';
import { ChatError } from './chat-error.ts';
import type { ChatService } from './chat-service.ts';
import { randomId } from './ids.ts';
import type { FileRecord } from './model.ts';
import { assertCanRead } from './permissions.ts';
import type { MessageStore } from './ports/message-store.ts';
import type { RoomAccess } from './ports/room-store.ts';

export interface Upload {
  room: string;
  clientId: string;
  text: string;
  /** The client's name for the file: shown, never used as a path. */
  name: string;
  claimedType: string | undefined;
  body: Readable;
}

/** A file's record and a resent upload's message, and who may read a room; the message itself goes through ChatService. */
type FileLookup = Pick<MessageStore, 'findSent' | 'findFile'> & RoomAccess;

/** How far into an image its size is looked for, when the head did not have it: bounds the memory spent. */
const SIZE_SCAN_BYTES = 4 * 1024 * 1024;

/** Files shared in rooms: the bytes go to the blob store, the message through the ordinary send path. */
export class FileService {
  readonly #store: FileLookup;
  readonly #blobs: BlobStore;
  readonly #chat: ChatService;
  readonly #maxBytes: number;

  constructor(deps: { store: FileLookup; blobs: BlobStore; chat: ChatService; maxBytes: number }) {
    this.#store = deps.store;
    this.#blobs = deps.blobs;
    this.#chat = deps.chat;
    this.#maxBytes = deps.maxBytes;
  }

  /**
   * Streams the upload to the blob store, then sends the file message.
   * A resent clientId answers with the first message and keeps no second copy.
   */
  async upload(user: User, upload: Upload): Promise<{ message: Message; duplicate: boolean }> {
    await assertCanRead(this.#store, user, upload.room);
    const sent = await this.#store.findSent(user.id, upload.clientId);
    if (sent) return { message: sent.message, duplicate: true };
    await this.#chat.assertMaySpeak(user, upload.room);
    const blob = await this.#blobs.put(upload.body, this.#maxBytes).catch((err: unknown) => {
      if (err instanceof BlobTooLargeError)
        throw new ChatError('too_large', `a file is at most ${this.#maxBytes} bytes`);
      throw err;
    });
    try {
      const sniffed = await this.#checkedImage(
        blob,
        await sniffType(blob.head, upload.claimedType, blob.head.length === blob.size),
      );
      const id = randomId(24);
      const ref = {
        id,
        name: upload.name,
        type: sniffed.type,
        size: blob.size,
        url: `/files/${id}`,
        ...(sniffed.width && sniffed.height && { width: sniffed.width, height: sniffed.height }),
      };
      const ack = await this.#chat.send(user, {
        room: upload.room,
        clientId: upload.clientId,
        text: upload.text,
        file: { ref, blob: { blobKey: blob.key, sha256: blob.sha256, inline: sniffed.inline } },
      });
      const duplicate = ack.message.file?.id !== id;
      if (duplicate) await this.#blobs.delete(blob.key);
      return { message: ack.message, duplicate };
    } catch (err) {
      await this.#blobs.delete(blob.key);
      throw err;
    }
  }

  /**
   * An image shown inline must have a size within the pixel limit (a
   * decompression bomb is refused before a browser decodes it). The size is
   * usually in the head, but a JPEG's metadata can push it further along:
   * then the start of the stored blob is read, and an image whose size is
   * still unknown is refused rather than shown unchecked.
   */
  async #checkedImage(blob: StoredBlob, sniffed: SniffedType): Promise<SniffedType> {
    const image = sniffed.inline && sniffed.type.startsWith('image/');
    let { width, height } = sniffed;
    if (image && !(width && height) && blob.size > blob.head.length) {
      ({ width, height } = imageDimensions(await this.#readStart(blob.key, Math.min(blob.size, SIZE_SCAN_BYTES))));
    }
    if (image && !(width && height)) throw new ChatError('bad_request', 'the size of this image cannot be read');
    if (width && height && width * height > MAX_IMAGE_PIXELS) {
      throw new ChatError('bad_request', `an image has at most ${MAX_IMAGE_PIXELS} pixels`);
    }
    return { ...sniffed, ...(width && height && { width, height }) };
  }

  async #readStart(key: string, bytes: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.#blobs.open(key, { start: 0, end: bytes - 1 })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * A file, for those who may read its room; others get the same refusal
   * whether or not it exists. The bytes are opened only when asked for (an
   * answer that sends none, a 304, opens nothing).
   */
  async download(user: User, id: string): Promise<Download> {
    const file = await this.#store.findFile(id);
    if (!file) throw new ChatError('forbidden', 'you may not read this file');
    await assertCanRead(this.#store, user, file.room);
    return {
      file,
      stream: (range) => {
        if (range && !(range.start >= 0 && range.start <= range.end && range.end < file.ref.size)) {
          throw new ChatError('bad_request', 'range not satisfiable');
        }
        return this.#blobs.open(file.blobKey, range);
      },
    };
  }
}

/** A file someone may read: its record, and its bytes. */
export interface Download {
  file: FileRecord;
  /** Bytes start..end (inclusive, within the file), or all of them. */
  readonly stream: (range?: { start: number; end: number }) => Readable;
}
