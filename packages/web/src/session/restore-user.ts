import type { User } from '@pockychat/protocol';
import { ApiError, type HttpApi } from '../api/http-api.ts';
import { readToken, writeToken } from '../api/token-storage.ts';

/** Who is signed in, and with which token; `token: null` means by the session cookie alone. */
export interface RestoredSession {
  user: User;
  token: string | null;
}

/**
 * The signed-in person, or null. A stored token the server refuses is dropped and the cookie
 * tried: a same-origin Facebook sign-in ends with only a cookie, and turning a guest into an
 * account ends the guest's token. A server that cannot be reached is retried: a reload during a
 * server restart must not sign anyone out.
 */
export async function restoreUser(http: HttpApi, onRetry: (attempt: number) => void): Promise<RestoredSession | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      const user = await http.me();
      return { user, token: readToken() };
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        if (readToken() === null) return null;
        writeToken(null);
        continue;
      }
      onRetry(attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 300 * 2 ** attempt)));
    }
  }
}
