import type { FilesApi } from './files-api.ts';

// Enough for a screenful of pictures and a few GIFs; beyond it the oldest are dropped (and
// fetched again if shown again, usually from the browser's HTTP cache: files are immutable).
const BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * The bytes of files shown in the log, by file URL. Components make their own object URLs from
 * these blobs and revoke them when unmounted; the blobs themselves are shared, so one file shown
 * twice, or an own upload shown after its ack, is not fetched again.
 */
export class FileBlobs {
  private readonly blobs = new Map<string, Blob>();
  private readonly loading = new Map<string, Promise<Blob>>();
  private bytes = 0;
  private readonly api: FilesApi;
  private readonly budget: number;

  constructor(api: FilesApi, budgetBytes = BUDGET_BYTES) {
    this.api = api;
    this.budget = budgetBytes;
  }

  load(url: string): Promise<Blob> {
    const cached = this.blobs.get(url);
    if (cached) {
      // Map order is insertion order: re-inserting marks it as recently used.
      this.blobs.delete(url);
      this.blobs.set(url, cached);
      return Promise.resolve(cached);
    }
    let loading = this.loading.get(url);
    if (!loading) {
      loading = this.api.download(url).finally(() => this.loading.delete(url));
      this.loading.set(url, loading);
      loading.then((blob) => this.put(url, blob)).catch(() => undefined);
    }
    return loading;
  }

  /** Bytes to save to disk: not kept, a download may be large and is seldom shown again. */
  download(url: string): Promise<Blob> {
    return this.blobs.get(url) ? this.load(url) : this.api.download(url);
  }

  resolve(url: string): string {
    return this.api.resolve(url);
  }

  /** Keeps bytes this client already has, such as a file it just uploaded. */
  put(url: string, blob: Blob): void {
    const previous = this.blobs.get(url);
    if (previous) this.bytes -= previous.size;
    this.blobs.delete(url);
    if (blob.size > this.budget) return;
    this.blobs.set(url, blob);
    this.bytes += blob.size;
    for (const [key, old] of this.blobs) {
      if (this.bytes <= this.budget) break;
      this.blobs.delete(key);
      this.bytes -= old.size;
    }
  }
}
