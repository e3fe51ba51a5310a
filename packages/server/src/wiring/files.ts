import type { ChatService } from '../chat/chat-service.ts';
import { FileService } from '../chat/file-service.ts';
import { registerFileRoutes } from '../transport/file-routes.ts';
import type { HttpSession } from '../transport/session.ts';
import type { WiringBase } from './feature.ts';

/** Uploads and downloads: the bytes in the blob store, the message through ChatService's send. */
export async function wireFiles(base: WiringBase, parts: { chat: ChatService; session: HttpSession }): Promise<void> {
  const { config, store, blobs, http } = base;
  const files = new FileService({ store, blobs, chat: parts.chat, maxBytes: config.maxFileBytes });
  await registerFileRoutes(http, { files, session: parts.session, maxFileBytes: config.maxFileBytes });
}
