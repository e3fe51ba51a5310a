import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Message, ReplyRef, User } from '@pockychat/protocol';
import type { Member } from '../api/rooms-api.ts';
import type { ChatSession } from '../session/chat-session.ts';
import { roleChangesIn } from '../state/roles.ts';
import { useChatState } from '../state/use-chat-state.ts';
import type { Conversation } from './conversation-context.ts';
import { useMessageFocus } from './use-message-focus.ts';

/**
 * The room's members, fetched when the room is shown or joined again, and on `refresh` (an `@`
 * typed: someone may have joined since); empty until known.
 */
export function useMembers(session: ChatSession, room: string, joined: boolean) {
  const [members, setMembers] = useState<{ room: string; list: Member[] }>({ room, list: [] });
  const [asked, setAsked] = useState(0);
  // A `role` frame (made or unmade a moderator): the list again, so what the caller may do shows now.
  const roleChanges = useChatState((s) => roleChangesIn(s, room));
  useEffect(() => {
    if (!joined) return;
    let live = true;
    session.membership.members(room).then(
      (list) => live && setMembers({ room, list }),
      () => undefined, // A room we may read but not list: no autocomplete.
    );
    return () => {
      live = false;
    };
  }, [session, room, joined, asked, roleChanges]);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);
  return { members: members.room === room ? members.list : [], refresh };
}

/** State shared by the messages of a room: the reply being written, the message edited, the one jumped to. */
export function useConversationState(session: ChatSession, room: string, me: User, members: Member[]) {
  const users = useChatState((s) => s.users);
  const [reply, setReply] = useState<{ room: string; message: Message } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const highlighted = useMessageFocus(session, room);
  // The message quoted may be far back: it is shown in its context, as a search result is.
  const jumpTo = useCallback(
    (ref: ReplyRef) => session.openMessage({ room, id: ref.id, seq: ref.seq }),
    [session, room],
  );

  const conversation = useMemo<Conversation>(() => {
    const byId = new Map(members.map((m) => [m.user.id, m.user.name]));
    return {
      me,
      owner: me.admin === true || members.some((m) => m.user.id === me.id && m.role !== 'member'),
      names: (id) => byId.get(id) ?? users[id]?.name ?? 'someone',
      replyTo: (message) => setReply({ room, message }),
      jumpTo,
      editing,
      setEditing,
      highlighted,
    };
  }, [me, members, users, room, jumpTo, editing, highlighted]);

  const replying = reply?.room === room ? reply.message : null;
  return { conversation, replying, cancelReply: () => setReply(null) };
}
