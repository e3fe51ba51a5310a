import { useState } from 'react';
import { isPushOn } from '../notifications/push-flag.ts';
import { usePushApi } from '../notifications/push-context.ts';
import { disablePush, enablePush, pushSupported } from '../notifications/push-subscription.ts';

/** Notifications on this device (Web Push through the service worker), on or off. */
export function PushToggle() {
  const api = usePushApi();
  const [on, setOn] = useState(isPushOn);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!api || !pushSupported()) return null;
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      if (on) await disablePush(api);
      else await enablePush(api);
      setOn(isPushOn());
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Notifications could not be changed.');
      setOn(isPushOn());
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sidebar__push">
      <button
        type="button"
        className="chip"
        aria-pressed={on}
        disabled={busy}
        onClick={() => void toggle()}
        title={on ? 'Stop notifications on this device' : 'Get notifications on this device'}
      >
        {on ? 'Notifications on' : 'Notifications off'}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
