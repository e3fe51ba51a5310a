import { useSyncExternalStore } from 'react';
import { defaultNotificationLevel, type NotificationLevel } from '@pockychat/protocol';
import { askNotificationPermission } from '../notifications/in-page-notifier.ts';
import type { NotificationPrefs } from '../notifications/notification-prefs.ts';
import { useChatSession } from '../session/session-context.ts';

const LEVELS: { level: NotificationLevel; label: string }[] = [
  { level: 'all', label: 'All messages' },
  { level: 'mentions', label: 'Mentions only' },
  { level: 'mute', label: 'Mute' },
];

/** The room menu's notification part: the room's level, and whether notifications show text. */
export function NotificationMenuItems({ room }: { room: string }) {
  const prefs = useChatSession().notificationPrefs;
  if (!prefs) return null;
  return <Items room={room} prefs={prefs} />;
}

function Items({ room, prefs }: { room: string; prefs: NotificationPrefs }) {
  const settings = useSyncExternalStore(prefs.subscribe, prefs.getSnapshot);
  const current = settings.levels[room] ?? defaultNotificationLevel(room);
  // A click is the user gesture a browser wants before it asks for permission.
  const choose = (level: NotificationLevel) => {
    if (level !== 'mute') askNotificationPermission();
    void prefs.setLevel(room, level).catch(() => undefined);
  };
  return (
    <div role="group" aria-label="Notifications" className="menu__group">
      <p className="menu__heading">Notifications</p>
      {LEVELS.map(({ level, label }) => (
        <button
          key={level}
          type="button"
          role="menuitemradio"
          aria-checked={current === level}
          tabIndex={-1}
          className="menu__item menu__item--check"
          onClick={() => choose(level)}
        >
          {label}
        </button>
      ))}
      <button
        type="button"
        role="menuitemcheckbox"
        aria-checked={settings.preview}
        tabIndex={-1}
        className="menu__item menu__item--check"
        onClick={() => void prefs.setPreview(!settings.preview).catch(() => undefined)}
      >
        Show message text in notifications
      </button>
    </div>
  );
}
