import type { EncodeJob, EncoderReply } from './encoder-messages.ts';

export interface GifEncoding {
  /** The GIF, or an AbortError once cancelled. */
  result: Promise<Blob>;
  cancel(): void;
}

/**
 * Encodes frames in a worker of its own, which is ended when done: a few seconds of work per GIF
 * does not justify keeping a thread around. The frames' buffers move to the worker (transfer),
 * so the caller must not use them afterwards.
 */
export function encodeGif(job: EncodeJob, onProgress: (share: number) => void): GifEncoding {
  // This exact form lets Vite find the worker and bundle it with its imports.
  const worker = new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module' });
  let rejectResult: (error: Error) => void = () => undefined;
  const result = new Promise<Blob>((resolve, reject) => {
    rejectResult = reject;
    worker.onmessage = (event: MessageEvent<EncoderReply>) => {
      const reply = event.data;
      if (reply.type === 'progress') return onProgress(reply.done / Math.max(1, reply.total));
      worker.terminate();
      if (reply.type === 'done') resolve(new Blob([reply.gif], { type: 'image/gif' }));
      else reject(new Error(`GIF encoding failed: ${reply.message}`));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`GIF encoder failed to run: ${event.message}`));
    };
  });
  worker.postMessage(job, job.frames);
  return {
    result,
    cancel() {
      worker.terminate();
      rejectResult(new DOMException('GIF encoding cancelled', 'AbortError'));
    },
  };
}
