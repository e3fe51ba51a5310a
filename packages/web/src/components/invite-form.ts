import type { InviteBody } from '@pockychat/protocol';
import { ApiError } from '../api/http-api.ts';

/** The invite form's three ways to name someone; the form keeps at most one filled in. */
export interface InviteFields {
  userId: string;
  email: string;
  facebookId: string;
}

export const noInvitee: InviteFields = { userId: '', email: '', facebookId: '' };

/** Filling one way in clears the others, so "Send invite" is never ambiguous. */
export function setInviteField(field: keyof InviteFields, value: string): InviteFields {
  return { ...noInvitee, [field]: value };
}

/** The body of `POST /rooms/:room/invites`, or null while no one is named. */
export function inviteBodyOf(fields: InviteFields): InviteBody | null {
  if (fields.userId) return { userId: fields.userId };
  if (fields.email.trim()) return { email: fields.email.trim() };
  if (fields.facebookId.trim()) return { facebookId: fields.facebookId.trim() };
  return null;
}

export function describeInviteError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Cannot reach the server. Try again.';
  switch (error.code) {
    case 'forbidden':
      return 'Only members of this room can invite people to it.';
    case 'not_found':
      return 'There is no such person any more.';
    case 'bad_request':
      return error.message.includes('email')
        ? 'That is not a valid email address.'
        : `Cannot invite: ${error.message}.`;
    case 'rate_limited':
      return 'Too many invites at once. Wait a moment.';
    default:
      return 'The invite failed. Try again.';
  }
}
