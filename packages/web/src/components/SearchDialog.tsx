import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Message, User } from '@pockychat/protocol';
import { MAX_QUERY_CHARS } from '../api/search-api.ts';
import { highlightParts } from '../search/highlight.ts';
import { flatten, groupByRoom, moveSelection, type ResultGroup } from '../search/group-results.ts';
import { isDirectRoom, roomLabel } from '../state/room-label.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { formatDay, formatFull, formatTime } from './format-time.ts';
import { Modal } from './Modal.tsx';
import { RoomIcon } from './RoomIcon.tsx';
import { useMessageSearch, type SearchStatus } from './use-message-search.ts';

interface SearchDialogProps {
  me: User;
  onClose: () => void;
  /** Called after a result is opened (the sidebar drawer closes on a phone). */
  onOpened: () => void;
}

/**
 * Search across the rooms one may read (Ctrl/Cmd+K): results grouped by room, matched words
 * marked. The focus stays in the input, a combobox whose listbox the arrow keys move through
 * (aria-activedescendant); Enter opens the message in its room, Escape closes.
 */
export function SearchDialog({ me, onClose, onOpened }: SearchDialogProps) {
  const session = useChatSession();
  const [query, setQuery] = useState('');
  const { status, shown } = useMessageSearch(session.search, query);
  const groups = useMemo(() => groupByRoom(shown.messages), [shown.messages]);
  const results = useMemo(() => flatten(groups), [groups]);
  const [selected, setSelected] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);
  const ids = useId();
  const optionId = (message: Message) => `${ids}-${message.id}`;
  const active = results[selected];

  // New results: the best is selected, so Enter opens it.
  useEffect(() => setSelected(results.length > 0 ? 0 : -1), [results]);
  // After the Modal's effect opened the dialog (a parent's effect runs after its children's).
  useEffect(() => inputRef.current?.focus(), []);
  const activeId = active ? optionId(active) : undefined;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const open = (message: Message) => {
    onClose();
    session.openMessage(message);
    onOpened();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setSelected((at) => moveSelection(at, event.key === 'ArrowDown' ? 1 : -1, results.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (active) open(active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <Modal title="Search messages" onClose={onClose} className="modal modal--search">
      <input
        ref={inputRef}
        type="text"
        className="search__input"
        role="combobox"
        aria-label="Search messages"
        aria-expanded={results.length > 0}
        aria-controls={`${ids}-results`}
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        placeholder="Search messages (prefix, “exact phrase”)"
        maxLength={MAX_QUERY_CHARS}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <p className="search__status" role="status">
        {statusText(status, results.length)}
      </p>
      <div id={`${ids}-results`} role="listbox" aria-label="Results" className="search__results">
        {groups.map((group) => (
          <ResultGroupView
            key={group.room}
            group={group}
            me={me}
            query={shown.query}
            selectedId={active?.id}
            optionId={optionId}
            onOpen={open}
            onHover={(message) => setSelected(results.indexOf(message))}
          />
        ))}
      </div>
    </Modal>
  );
}

interface ResultGroupProps {
  group: ResultGroup;
  me: User;
  query: string;
  selectedId: string | undefined;
  optionId: (message: Message) => string;
  onOpen: (message: Message) => void;
  onHover: (message: Message) => void;
}

function ResultGroupView({ group, me, query, selectedId, optionId, onOpen, onHover }: ResultGroupProps) {
  const known = useChatState((s) => s.users);
  const visibility = useChatState((s) => s.directory[group.room]?.visibility);
  const headingId = useId();
  // A DM is named by the other person, who may be known only as an author of these results.
  const users = useMemo(() => {
    const all = { ...known };
    for (const message of group.messages) all[message.author.id] ??= message.author;
    return all;
  }, [known, group.messages]);
  const direct = isDirectRoom(group.room);
  return (
    <div role="group" aria-labelledby={headingId} className="search__group">
      <div id={headingId} role="presentation" className="search__room">
        <RoomIcon kind={direct ? 'direct' : visibility === 'private' ? 'private' : 'public'} />
        <span>{roomLabel(group.room, me, users)}</span>
      </div>
      {group.messages.map((message) => (
        <div
          key={message.id}
          id={optionId(message)}
          role="option"
          aria-selected={message.id === selectedId}
          className={message.id === selectedId ? 'search-result search-result--selected' : 'search-result'}
          // The input keeps the focus: a press here must not take it.
          onMouseDown={(event) => event.preventDefault()}
          onMouseMove={() => message.id !== selectedId && onHover(message)}
          onClick={() => onOpen(message)}
        >
          <div className="search-result__meta">
            <span className="search-result__author">{message.author.name}</span>
            <time dateTime={message.date} title={formatFull(new Date(message.date))}>
              {when(message.date)}
            </time>
          </div>
          <p className="search-result__text">
            <Marked text={message.text || message.file?.name || ''} query={query} />
          </p>
        </div>
      ))}
    </div>
  );
}

function Marked({ text, query }: { text: string; query: string }) {
  const parts = useMemo(() => highlightParts(text, query), [text, query]);
  return parts.map((part, i) =>
    part.match ? (
      <mark key={i} className="search-result__match">
        {part.text}
      </mark>
    ) : (
      <span key={i}>{part.text}</span>
    ),
  );
}

function when(iso: string): string {
  const date = new Date(iso);
  return `${formatDay(date)} ${formatTime(date)}`;
}

function statusText(status: SearchStatus, count: number): string {
  switch (status.kind) {
    case 'idle':
      return 'Words match by their start; "quoted words" as a phrase.';
    case 'searching':
      return 'Searching…';
    case 'failed':
      return status.error;
    case 'done':
      if (count === 0) return 'No messages match.';
      return count === 1 ? '1 message' : `${count} messages`;
  }
}
