import { z } from 'zod';
import { Email, Password } from './http.ts';

/** POST /auth/password-reset: always 202 with PasswordResetAnswer, whether or not the account exists. */
export const PasswordResetBody = z.object({ email: Email });
export type PasswordResetBody = z.infer<typeof PasswordResetBody>;

export const PasswordResetAnswer = z.object({ status: z.literal('sent_if_known'), message: z.string() });
export type PasswordResetAnswer = z.infer<typeof PasswordResetAnswer>;

/** A reset token as the mail's link carries it: base64url, 43 characters for 256 bits. */
export const ResetToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { message: 'not a password reset token' });

/** POST /auth/password-reset/confirm: 204, or 400 bad_request for a bad, used or expired token. */
export const PasswordResetConfirmBody = z.object({ token: ResetToken, password: Password });
export type PasswordResetConfirmBody = z.infer<typeof PasswordResetConfirmBody>;

/** GET /auth/options: which sign-ins this server offers, so a client shows only those. */
export const AuthOptionsAnswer = z.object({
  passwordReset: z.boolean(),
  oidc: z.object({ name: z.string() }).nullable(),
  facebook: z.boolean(),
});
export type AuthOptionsAnswer = z.infer<typeof AuthOptionsAnswer>;
