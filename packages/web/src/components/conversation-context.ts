import { createContext, useContext } from 'react';
import type { Message, ReplyRef, User } from '@pockychat/protocol';

/** What the messages of the room shown share: who may do what, and the composer's reply. */
export interface Conversation {
  me: User;
  /** The caller owns or moderates the room, or is an admin: may delete anyone's message. */
  owner: boolean;
  /** Names of users by id (members and everyone seen), to say who reacted. */
  names: (id: string) => string;
  replyTo: (message: Message) => void;
  /** Scrolls to a message (loading older pages if it is not loaded) and highlights it. */
  jumpTo: (ref: ReplyRef) => void;
  /** The message whose text is being edited in place, if any. */
  editing: string | null;
  setEditing: (id: string | null) => void;
  /** The message just jumped to, highlighted for a moment. */
  highlighted: string | null;
}

export const ConversationContext = createContext<Conversation | null>(null);

export function useConversation(): Conversation {
  const conversation = useContext(ConversationContext);
  if (!conversation) throw new Error('useConversation needs a ConversationContext provider');
  return conversation;
}
