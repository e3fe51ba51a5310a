import { createContext, useContext } from 'react';
import type { AuthApi, AuthResult } from '../api/auth-api.ts';

/** Signing in with an account, from the sign-in screen or, as a guest, from inside the chat. */
export interface Account {
  auth: AuthApi;
  /** Switches the app to this identity: its token is stored and the chat reconnects with it. */
  signedIn: (result: AuthResult) => void;
}

export const AccountContext = createContext<Account | null>(null);

export function useAccount(): Account {
  const account = useContext(AccountContext);
  if (!account) throw new Error('useAccount needs an AccountContext provider');
  return account;
}
