import { createContext, useContext } from 'react';
import type { PushApi } from '../api/push-api.ts';

export const PushApiContext = createContext<PushApi | null>(null);

export function usePushApi(): PushApi | null {
  return useContext(PushApiContext);
}
