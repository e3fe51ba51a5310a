import { z } from 'zod';
import { limits } from './limits.ts';

/**
 * Text that every store keeps byte-identical: well-formed UTF-16 (no lone
 * surrogates, which UTF-8 storage would turn into U+FFFD) and no NUL
 * (which PostgreSQL refuses in text columns).
 */
export function storableText(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((s) => s.isWellFormed(), { message: 'text must be well-formed Unicode (no lone surrogates)' })
    .refine((s) => !s.includes('\u0000'), { message: 'text must not contain NUL' });
}

export const MessageText = storableText(1, limits.maxTextChars);
export const DisplayName = storableText(1, limits.maxNameChars)
  .transform((s) => s.trim())
  .pipe(z.string().min(1));
