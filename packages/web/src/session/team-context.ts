import { createContext, useContext } from 'react';
import type { TeamApi } from '../api/team-api.ts';

/** The admin's and moderators' HTTP calls, for the admin page and the members dialog. */
export const TeamApiContext = createContext<TeamApi | null>(null);

export function useTeamApi(): TeamApi {
  const api = useContext(TeamApiContext);
  if (!api) throw new Error('useTeamApi needs a TeamApiContext provider');
  return api;
}
