import type { User } from '@pockychat/protocol';
import { ApiError, type HttpApi } from '../api/http-api.ts';

/**
 * The user of the stored token, or null when the server no longer accepts it. A server that
 * cannot be reached is retried: a reload during a server restart must not sign anyone out.
 */
export async function restoreUser(http: HttpApi, onRetry: (attempt: number) => void): Promise<User | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await http.me();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      onRetry(attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 300 * 2 ** attempt)));
    }
  }
}
