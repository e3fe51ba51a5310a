/** The page asks the encoder worker for one GIF; frames are RGBA bytes, transferred, not copied. */
export interface EncodeJob {
  width: number;
  height: number;
  /** One RGBA buffer (width × height × 4 bytes) per frame. */
  frames: ArrayBuffer[];
  /** Milliseconds each frame shows. */
  delays: number[];
}

export type EncoderReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; gif: ArrayBuffer }
  | { type: 'error'; message: string };
