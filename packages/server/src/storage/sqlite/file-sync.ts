import { open, type FileHandle } from 'node:fs/promises';

/**
 * Makes a file's writes durable off the event loop: `sync()` resolves once an
 * fdatasync that began after the call has finished, so everything written
 * before the call is on disk. Calls that arrive while a flush runs share the
 * next one: at most one flush runs and one waits, however many writers ask.
 */
export class FileSync {
  readonly #flush: () => Promise<void>;
  readonly #release: () => Promise<void>;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(flush: () => Promise<void>, release: () => Promise<void> = async () => undefined) {
    this.#flush = flush;
    this.#release = release;
  }

  /** fdatasync of `file` through a handle of its own, opened on first use (the file must exist by then). */
  static ofFile(file: string): FileSync {
    let handle: Promise<FileHandle> | undefined;
    return new FileSync(
      async () => {
        // A failed open is not kept: the next flush tries again.
        handle ??= open(file, 'r+').catch((err: unknown) => {
          handle = undefined;
          throw err;
        });
        await (await handle).datasync();
      },
      async () => {
        const opened = await handle?.catch(() => undefined);
        handle = undefined;
        await opened?.close();
      },
    );
  }

  sync(): Promise<void> {
    if (!this.#running) return this.#start();
    // The running flush may have begun before the caller's write: wait for the next one.
    this.#queued ??= this.#running.then(
      () => this.#start(),
      () => this.#start(),
    );
    return this.#queued;
  }

  /** Waits for the flushes asked for, then lets the file go. */
  async close(): Promise<void> {
    await (this.#queued ?? this.#running)?.catch(() => undefined);
    await this.#release();
  }

  #start(): Promise<void> {
    this.#queued = undefined;
    const running = this.#flush();
    this.#running = running;
    // Registered before any queued flush's start, which then takes `#running` over.
    const settle = (): void => {
      if (this.#running === running && !this.#queued) this.#running = undefined;
    };
    running.then(settle, settle);
    return running;
  }
}
