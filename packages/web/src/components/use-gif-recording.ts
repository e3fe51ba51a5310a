import { useEffect, useRef, useState, type RefObject } from 'react';
import { cameraErrorMessage, openCamera, stopCamera } from '../gif/camera.ts';
import { captureFrames } from '../gif/capture.ts';
import { encodeGif, type GifEncoding } from '../gif/encode-gif.ts';
import { COUNTDOWN_FROM } from '../gif/frame-plan.ts';

export type GifPhase =
  | { kind: 'starting' }
  | { kind: 'countdown'; count: number }
  | { kind: 'recording'; elapsedMs: number }
  | { kind: 'encoding'; progress: number }
  | { kind: 'ready'; gif: Blob; width: number; height: number }
  | { kind: 'failed'; message: string };

export interface GifRecording {
  phase: GifPhase;
  /** Ends the recording early, keeping what was recorded. */
  stop: () => void;
  /** Starts over from the camera. */
  again: () => void;
}

/**
 * Camera → countdown → frames → worker → GIF, into the given video element. Unmounting (closing
 * the dialog) at any step turns the camera off and ends the encoder.
 */
export function useGifRecording(videoRef: RefObject<HTMLVideoElement | null>): GifRecording {
  const [phase, setPhase] = useState<GifPhase>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);
  const stopRef = useRef<AbortController | null>(null);

  useEffect(() => {
    const cancelled = new AbortController();
    const stopped = new AbortController();
    stopRef.current = stopped;
    let stream: MediaStream | undefined;
    let encoding: GifEncoding | undefined;
    const show = (next: GifPhase) => {
      if (!cancelled.signal.aborted) setPhase(next);
    };
    cancelled.signal.addEventListener('abort', () => {
      stopped.abort();
      stopCamera(stream);
      encoding?.cancel();
    });

    const run = async () => {
      show({ kind: 'starting' });
      try {
        stream = await openCamera();
      } catch (error) {
        return show({ kind: 'failed', message: cameraErrorMessage(error) });
      }
      const video = videoRef.current;
      if (cancelled.signal.aborted || !video) return stopCamera(stream);
      video.srcObject = stream;
      await video.play();
      for (let count = COUNTDOWN_FROM; count > 0; count--) {
        show({ kind: 'countdown', count });
        await sleep(1000, cancelled.signal);
      }
      show({ kind: 'recording', elapsedMs: 0 });
      const job = await captureFrames(video, {
        stop: stopped.signal,
        mirror: true,
        onFrame: (elapsedMs) => show({ kind: 'recording', elapsedMs }),
      });
      // The light goes off as soon as the frames are in.
      stopCamera(stream);
      video.srcObject = null;
      if (cancelled.signal.aborted) return undefined;
      show({ kind: 'encoding', progress: 0 });
      encoding = encodeGif(job, (progress) => show({ kind: 'encoding', progress }));
      const gif = await encoding.result;
      return show({ kind: 'ready', gif, width: job.width, height: job.height });
    };
    run().catch((error: unknown) => {
      stopCamera(stream);
      const reason = error instanceof Error ? error.message : String(error);
      show({ kind: 'failed', message: `Could not make the GIF: ${reason}` });
    });
    return () => cancelled.abort();
  }, [videoRef, attempt]);

  return {
    phase,
    stop: () => stopRef.current?.abort(),
    again: () => setAttempt((n) => n + 1),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
