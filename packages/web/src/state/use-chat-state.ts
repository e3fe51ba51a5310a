import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ChatState } from './chat-state.ts';
import type { ChatStore } from './store.ts';

export const ChatStoreContext = createContext<ChatStore | null>(null);

export function useChatStore(): ChatStore {
  const store = useContext(ChatStoreContext);
  if (!store) throw new Error('useChatStore needs a ChatStoreContext provider');
  return store;
}

/** Subscribes a component to a slice of state; select must return stored references, not new objects. */
export function useChatState<T>(select: (state: ChatState) => T): T {
  const store = useChatStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
