import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { LOBBY, isGroupDmRoom } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';
import { NotificationMenuItems } from './NotificationMenuItems.tsx';

interface RoomMenuProps {
  room: string;
  title: string;
  direct: boolean;
  onInvite: () => void;
  onMembers: () => void;
}

/** The room header's menu: invite, members, and leaving (for good, after a confirmation). */
export function RoomMenu({ room, title, direct, onInvite, onMembers }: RoomMenuProps) {
  const session = useChatSession();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const id = useId();

  const close = (refocus: boolean) => {
    setOpen(false);
    setConfirming(false);
    if (refocus) buttonRef.current?.focus();
  };
  useEffect(() => {
    if (!open) return undefined;
    menuRef.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open, confirming]);

  const pick = (action: () => void) => () => {
    close(false);
    action();
  };
  const items: { label: string; run: () => void; danger?: boolean }[] = [];
  if (confirming) {
    items.push({ label: 'Leave for good', run: pick(() => void session.leaveForGood(room)), danger: true });
    items.push({ label: 'Cancel', run: () => setConfirming(false) });
  } else if (direct) {
    items.push({ label: 'Close conversation', run: pick(() => session.leaveRoom(room)) });
    // A group's people are fixed: see them, or leave (starting the same group again brings one back).
    if (isGroupDmRoom(room)) {
      items.push({ label: 'Members', run: pick(onMembers) });
      items.push({ label: 'Leave group', run: () => setConfirming(true), danger: true });
    }
  } else {
    items.push({ label: 'Invite people', run: pick(onInvite) });
    items.push({ label: 'Members', run: pick(onMembers) });
    if (room !== LOBBY) items.push({ label: 'Leave room', run: () => setConfirming(true), danger: true });
  }

  return (
    <div className="menu">
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-label="Room options"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <circle cx="12" cy="5" r="1.8" fill="currentColor" />
          <circle cx="12" cy="12" r="1.8" fill="currentColor" />
          <circle cx="12" cy="19" r="1.8" fill="currentColor" />
        </svg>
      </button>
      {open && (
        <div
          ref={menuRef}
          id={id}
          className="menu__popup"
          role="menu"
          aria-label={`${title} options`}
          onKeyDown={(event) => onMenuKey(event, () => close(true))}
        >
          {confirming && (
            <p className="menu__note">
              {isGroupDmRoom(room)
                ? `Leave ${title}? Start a group message with the same people to come back.`
                : `Leave ${title}? A private room then needs a new invite.`}
            </p>
          )}
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={item.danger ? 'menu__item menu__item--danger' : 'menu__item'}
              onClick={item.run}
            >
              {item.label}
            </button>
          ))}
          {!confirming && <NotificationMenuItems room={room} />}
        </div>
      )}
    </div>
  );
}

/** Arrow keys move between items, Escape and Tab close the menu. */
function onMenuKey(event: KeyboardEvent<HTMLDivElement>, close: () => void): void {
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
  const here = items.indexOf(document.activeElement as HTMLElement);
  const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
  if (step !== undefined) {
    event.preventDefault();
    items[(here + step + items.length) % items.length]?.focus();
  } else if (event.key === 'Escape' || event.key === 'Tab') {
    event.preventDefault();
    close();
  }
}
