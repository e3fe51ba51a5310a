import { createContext, useContext } from 'react';
import type { ChatSession } from './chat-session.ts';

export const ChatSessionContext = createContext<ChatSession | null>(null);

export function useChatSession(): ChatSession {
  const session = useContext(ChatSessionContext);
  if (!session) throw new Error('useChatSession needs a ChatSessionContext provider');
  return session;
}
