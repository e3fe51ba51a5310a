import type { LinkRefusal } from '@pockychat/protocol';
import { ApiError } from '../api/http-api.ts';

/** What the person opening an invite link is told when it lets no one in. */
export const refusalTexts: Record<LinkRefusal, string> = {
  expired: 'This invite link has expired. Ask for a new one.',
  used_up: 'This invite link has been used as many times as it allows. Ask for a new one.',
  revoked: 'This invite link was revoked. Ask for a new one.',
};

export function describeLinkError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Cannot reach the server. Try again.';
  switch (error.code) {
    case 'not_found':
      // Also a dead link the server has since deleted (it keeps a room's last 100 dead ones).
      return 'This invite link does not exist (any more). Check that it was copied whole, or ask for a new one.';
    case 'bad_request':
      return 'This is not an invite link. Check that it was copied whole.';
    case 'forbidden':
      return sentence(error.message);
    case 'rate_limited':
      return 'Too many attempts at once. Wait a moment.';
    default:
      return 'Something went wrong. Try again.';
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'You may not do that.';
  return `${trimmed[0]?.toUpperCase() ?? ''}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? '' : '.'}`;
}

const linkDateFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A link's making or expiry: day and time, which tell apart the links of one room. */
export function formatLinkDate(iso: string): string {
  return linkDateFormat.format(new Date(iso));
}
