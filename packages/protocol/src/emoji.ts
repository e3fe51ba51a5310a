import { z } from 'zod';
import { limits } from './limits.ts';

/** The reaction a v1 like is. */
export const LIKE_EMOJI = '\u2764\uFE0F';

/**
 * One emoji as Unicode recommends it for general interchange (RGI): a
 * single code point, a keycap, a flag, a ZWJ family, a skin tone. Plain
 * text, or two emoji, is refused: a reaction is one picture.
 */
const oneEmoji = /^\p{RGI_Emoji}$/v;

export const Emoji = z
  .string()
  .min(1)
  .max(limits.maxEmojiChars)
  .refine((s) => oneEmoji.test(s), { message: 'a reaction is one emoji' });
export type Emoji = z.infer<typeof Emoji>;
