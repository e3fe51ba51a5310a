import { ChatSocket, type ChatSocketHandlers } from './chat-socket.ts';
import { loadPrimus } from './primus-client.ts';

/**
 * Opens the chat socket once the server's Primus client has loaded; while the server is
 * unreachable (primus.js fails to load) it keeps trying, reporting each failure as a drop.
 */
export async function connectSocket(
  apiOrigin: string,
  token: string | null,
  handlers: ChatSocketHandlers,
): Promise<ChatSocket> {
  for (let attempt = 1; ; attempt++) {
    try {
      const Primus = await loadPrimus(apiOrigin);
      return new ChatSocket(Primus, apiOrigin, token, handlers);
    } catch {
      handlers.down(attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 300 * 2 ** attempt)));
    }
  }
}
