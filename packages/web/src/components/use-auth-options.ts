import { useEffect, useState } from 'react';
import type { AuthOptionsAnswer } from '@pockychat/protocol';
import { useAccount } from '../session/account-context.ts';

/** The server's sign-in options, or null until known (or if it cannot say: then only the basics show). */
export function useAuthOptions(): AuthOptionsAnswer | null {
  const { auth } = useAccount();
  const [options, setOptions] = useState<AuthOptionsAnswer | null>(null);
  useEffect(() => {
    let live = true;
    auth.options().then(
      (answer) => live && setOptions(answer),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [auth]);
  return options;
}
