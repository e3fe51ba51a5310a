import { useState } from 'react';
import { isGroupDmRoom, type RoomSummary, type User } from '@pockychat/protocol';
import type { RoomState } from '../state/chat-state.ts';
import { isDirectRoom, roomLabel } from '../state/room-label.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { Composer } from './Composer.tsx';
import { ConversationContext } from './conversation-context.ts';
import { useConversationState, useMembers } from './use-conversation-state.ts';
import { InviteDialog, MembersDialog } from './lazy-parts.ts';
import { LazyBoundary } from './LazyBoundary.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { MessageList } from './MessageList.tsx';
import { Notice } from './Notice.tsx';
import { memberCount } from './PublicRooms.tsx';
import { RoomMenu } from './RoomMenu.tsx';
import { TypingIndicator } from './TypingIndicator.tsx';
import { useFileDrop } from './use-file-drop.ts';

interface RoomViewProps {
  room: RoomState;
  me: User;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
}

export function RoomView({ room, me, sidebarOpen, onToggleSidebar }: RoomViewProps) {
  const session = useChatSession();
  const users = useChatState((s) => s.users);
  const summary = useChatState((s) => s.directory[room.name]);
  const groupDms = useChatState((s) => s.groupDms);
  const direct = isDirectRoom(room.name);
  const label = roomLabel(room.name, me, users, groupDms);
  const title = direct ? label : `#${label}`;
  // Tied to its room: switching rooms with a dialog open must not retarget it.
  const [dialog, setDialog] = useState<{ kind: 'invite' | 'members'; room: string } | null>(null);
  const shown = dialog?.room === room.name ? dialog.kind : null;
  const closeDialog = () => setDialog(null);
  const { members, refresh: refreshMembers } = useMembers(session, room.name, room.joined);
  const { conversation, replying, cancelReply } = useConversationState(session, room.name, me, members);
  const drop = useFileDrop((files) => {
    for (const file of files) session.uploads.attach(room.name, file);
  });

  return (
    <main className="room" {...drop.handlers}>
      {drop.active && (
        <div className="drop-zone" aria-hidden="true">
          <p>Drop to share in {title}</p>
        </div>
      )}
      <header className="room__header">
        <button
          type="button"
          className="icon-button room__menu"
          aria-label="Show rooms"
          aria-expanded={sidebarOpen}
          aria-controls="sidebar"
          onClick={onToggleSidebar}
        >
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
        </button>
        <div className="room__title">
          <h1>{title}</h1>
          <p className="room__subtitle">
            {isGroupDmRoom(room.name)
              ? groupSubtitle(room.joined, groupDms[room.name])
              : subtitle(direct, room.joined, summary)}
          </p>
        </div>
        <ConnectionStatus />
        <RoomMenu
          room={room.name}
          title={title}
          direct={direct}
          onInvite={() => setDialog({ kind: 'invite', room: room.name })}
          onMembers={() => setDialog({ kind: 'members', room: room.name })}
        />
      </header>
      {shown && (
        <LazyBoundary onClose={closeDialog}>
          {shown === 'invite' ? (
            <InviteDialog room={room.name} title={title} me={me} onClose={closeDialog} />
          ) : (
            <MembersDialog room={room.name} title={title} me={me} onClose={closeDialog} />
          )}
        </LazyBoundary>
      )}
      <Notice />
      <ConversationContext value={conversation}>
        <MessageList room={room} label={title} me={me} />
        <TypingIndicator room={room} />
        <Composer
          room={room.name}
          placeholder={`Write to ${title}`}
          members={members}
          onMention={refreshMembers}
          me={me}
          replying={replying}
          onCancelReply={cancelReply}
        />
      </ConversationContext>
    </main>
  );
}

function subtitle(direct: boolean, joined: boolean, summary: RoomSummary | undefined): string {
  if (!joined) return 'Joining…';
  if (direct) return 'Direct conversation, just the two of you';
  if (!summary) return 'Room';
  const kind = summary.visibility === 'public' ? 'Public room' : 'Private room';
  // The directory's count, read again when it must be behind (see MemberSightings); zero: it predates our join.
  return summary.members > 0 ? `${kind} · ${memberCount(summary.members)}` : kind;
}

function groupSubtitle(joined: boolean, participants: readonly string[] | undefined): string {
  if (!joined) return 'Joining…';
  return participants ? `Group conversation of ${participants.length}` : 'Group conversation';
}
