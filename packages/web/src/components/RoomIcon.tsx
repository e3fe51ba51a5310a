/** The mark before a room's name: # public, a padlock private, @ a direct conversation. */
export function RoomIcon({ kind }: { kind: 'public' | 'private' | 'direct' }) {
  if (kind !== 'private') {
    return (
      <span className="room-link__hash" aria-hidden="true">
        {kind === 'direct' ? '@' : '#'}
      </span>
    );
  }
  return (
    <span className="room-link__hash" aria-hidden="true">
      <svg viewBox="0 0 16 16" width="13" height="13" focusable="false">
        <path
          d="M4.5 7V5.2a3.5 3.5 0 0 1 7 0V7M3.8 7h8.4c.4 0 .8.4.8.8v5.4c0 .4-.4.8-.8.8H3.8c-.4 0-.8-.4-.8-.8V7.8c0-.4.4-.8.8-.8z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinejoin="round"
        />
      </svg>
    </span>
  );
}
