import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import { encodeFrames } from './encode-frames.ts';
import type { EncodeJob, EncoderReply } from './encoder-messages.ts';

// The part of DedicatedWorkerGlobalScope used here (the project's lib is the DOM's, not the worker's).
interface WorkerScope {
  onmessage: ((event: MessageEvent<EncodeJob>) => void) | null;
  postMessage(message: EncoderReply, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

// Encoding runs here so the page keeps painting (the progress bar, the preview) meanwhile.
scope.onmessage = (event) => {
  const job = event.data;
  try {
    const total = job.frames.length;
    const bytes = encodeFrames({ GIFEncoder, quantize, applyPalette }, job, (done) =>
      scope.postMessage({ type: 'progress', done, total }),
    );
    const gif = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    scope.postMessage({ type: 'done', gif }, [gif]);
  } catch (error) {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
