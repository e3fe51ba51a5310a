import { ApiError } from '../api/http-api.ts';

/** What to tell the admin or moderator when a call failed. */
export function describeTeamError(what: string, error: unknown): string {
  if (error instanceof ApiError && error.status !== 0) return `Cannot ${what}: ${error.message}`;
  return 'Cannot reach the server.';
}
