import { initialChatState, type ChatState } from './chat-state.ts';

export type Listener = () => void;
export type Update = (state: ChatState) => ChatState;

/** The one client store: state is replaced, never mutated, by the pure functions of this folder. */
export interface ChatStore {
  getState: () => ChatState;
  update: (fn: Update) => void;
  subscribe: (listener: Listener) => () => void;
}

export function createChatStore(initial: ChatState = initialChatState()): ChatStore {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    getState: () => state,
    update(fn) {
      const next = fn(state);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
