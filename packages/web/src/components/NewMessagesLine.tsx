/** Where the person left off: above the first message after the read marker the room had when opened. */
export function NewMessagesLine() {
  return (
    <li className="new-messages-line" role="separator" aria-label="New messages">
      <span>New messages</span>
    </li>
  );
}
