import { useEffect, useState } from 'react';
import type { LinkPreview } from '@pockychat/protocol';
import { clearPendingJoin, pendingJoinCode } from '../session/join-link.ts';
import { useChatSession } from '../session/session-context.ts';
import { memberCount } from './PublicRooms.tsx';
import { describeLinkError, refusalTexts } from './link-messages.ts';
import { Modal } from './Modal.tsx';

/** On the sign-in screen, when an invite link was opened: it is kept for after the sign-in. */
export function JoinLinkHint() {
  if (!pendingJoinCode()) return null;
  return (
    <p className="join-hint" role="status">
      You were sent an invite link. Sign in to see the room and join it.
    </p>
  );
}

/** An invite link opened (`?join=<code>`): the room it leads to, and a Join button. */
export function JoinLinkPrompt() {
  const session = useChatSession();
  const [code, setCode] = useState(pendingJoinCode);
  const [preview, setPreview] = useState<LinkPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const links = session.links;
    if (!code || !links) return undefined;
    let live = true;
    links.preview(code).then(
      (answer) => live && setPreview(answer),
      (failure: unknown) => live && setError(describeLinkError(failure)),
    );
    return () => {
      live = false;
    };
  }, [code, session]);

  if (!code) return null;
  const close = () => {
    clearPendingJoin();
    setCode(null);
  };
  const join = async () => {
    setBusy(true);
    try {
      await session.joinByLink(code);
      close();
    } catch (failure) {
      setError(describeLinkError(failure));
    } finally {
      setBusy(false);
    }
  };
  const refusal = preview && !preview.valid && !preview.member ? refusalTexts[preview.reason ?? 'revoked'] : null;
  const shownError = error ?? refusal;
  const canJoin = preview !== null && !shownError;

  return (
    <Modal title="Invite link" onClose={close}>
      {preview && (
        <div className="link-preview">
          <p className="link-preview__room">#{preview.room}</p>
          <p className="link-preview__meta">
            {preview.visibility === 'public' ? 'Public room' : 'Private room'} · {memberCount(preview.members)}
          </p>
          {preview.member && <p className="field-hint">You are already a member.</p>}
        </div>
      )}
      {!preview && !shownError && <p role="status">Looking at the link…</p>}
      {shownError && (
        <p className="form-error" role="alert">
          {shownError}
        </p>
      )}
      <div className="modal__actions">
        <button type="button" className="chip" onClick={close}>
          {canJoin ? 'Not now' : 'Close'}
        </button>
        {canJoin && (
          <button type="button" className="button" disabled={busy} onClick={() => void join()}>
            {preview.member ? `Open #${preview.room}` : `Join #${preview.room}`}
          </button>
        )}
      </div>
    </Modal>
  );
}
