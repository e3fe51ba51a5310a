import { useCallback, useEffect, useId, useState } from 'react';
import type { CreateLinkBody, InviteLink } from '@pockychat/protocol';
import { ApiError } from '../api/http-api.ts';
import { joinUrlOf } from '../session/join-link.ts';
import { useChatSession } from '../session/session-context.ts';
import { describeLinkError, formatLinkDate } from './link-messages.ts';

const expiries = [
  { label: '1 hour', minutes: 60 },
  { label: '1 day', minutes: 24 * 60 },
  { label: '7 days', minutes: 7 * 24 * 60 },
  { label: 'Never', minutes: 0 },
] as const;
const useLimits = [
  { label: '1 use', uses: 1 },
  { label: '10 uses', uses: 10 },
  { label: 'Unlimited', uses: 0 },
] as const;

/**
 * The invite dialog's "Share link" part: make a link (expiry, uses), copy its address, and list
 * and revoke the room's links. The server shows a link's code once, when it is made: the list
 * names links by when they were made, never by their address.
 */
export function ShareLinks({ room }: { room: string }) {
  const session = useChatSession();
  const api = session.links;
  const id = useId();
  const [links, setLinks] = useState<InviteLink[] | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const [minutes, setMinutes] = useState<number>(24 * 60);
  const [uses, setUses] = useState<number>(0);
  const [made, setMade] = useState<{ id: string; url: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    if (!api) return;
    try {
      setLinks(await api.list(room));
    } catch (failure) {
      setRefused(
        failure instanceof ApiError && failure.code === 'forbidden'
          ? 'Only the owner of a private room can share links to it.'
          : describeLinkError(failure),
      );
    }
  }, [api, room]);
  useEffect(() => {
    void reload();
  }, [reload]);

  if (!api) return null;
  const create = async () => {
    const body: CreateLinkBody = {
      ...(minutes > 0 && { expiresInMinutes: minutes }),
      ...(uses > 0 && { maxUses: uses }),
    };
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const link = await api.create(room, body);
      setMade({ id: link.id, url: joinUrlOf(link.code ?? '') });
      await reload();
    } catch (failure) {
      setError(describeLinkError(failure));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (linkId: string) => {
    setError(null);
    try {
      await api.revoke(room, linkId);
      if (made?.id === linkId) setMade(null);
      await reload();
    } catch (failure) {
      setError(describeLinkError(failure));
    }
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setError('Copying was refused: select the address and copy it yourself.');
    }
  };

  return (
    <section className="share-links" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="share-links__title">
        Share link
      </h3>
      {refused ? (
        <p className="field-hint">{refused}</p>
      ) : (
        <>
          <div className="share-links__options">
            <label className="field-label" htmlFor={`${id}-expiry`}>
              Expires after
            </label>
            <select
              id={`${id}-expiry`}
              className="input"
              value={minutes}
              onChange={(event) => setMinutes(Number(event.target.value))}
            >
              {expiries.map((e) => (
                <option key={e.label} value={e.minutes}>
                  {e.label}
                </option>
              ))}
            </select>
            <label className="field-label" htmlFor={`${id}-uses`}>
              Can be used
            </label>
            <select
              id={`${id}-uses`}
              className="input"
              value={uses}
              onChange={(event) => setUses(Number(event.target.value))}
            >
              {useLimits.map((u) => (
                <option key={u.label} value={u.uses}>
                  {u.label}
                </option>
              ))}
            </select>
            <button type="button" className="button" disabled={busy} onClick={() => void create()}>
              Create link
            </button>
          </div>
          {made && (
            <div className="share-links__made">
              <input
                className="input"
                readOnly
                aria-label="Invite link address"
                value={made.url}
                onFocus={(event) => event.target.select()}
              />
              <button type="button" className="chip chip--primary" onClick={() => void copy(made.url)}>
                {copied ? 'Copied' : 'Copy'}
              </button>
            </div>
          )}
          {made && <p className="field-hint">Copy it now: it is shown only once.</p>}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {links && links.length > 0 && (
            <ul className="share-links__list" aria-label="Active links">
              {links.map((link) => (
                <li key={link.id} className="share-links__item">
                  <span>{describeLink(link)}</span>
                  <button
                    type="button"
                    className="chip"
                    aria-label={`Revoke the link made ${formatLinkDate(link.createdAt)}`}
                    onClick={() => void revoke(link.id)}
                  >
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function describeLink(link: InviteLink): string {
  const used = link.maxUses !== undefined ? `${link.uses} of ${link.maxUses} uses` : `${link.uses} uses`;
  const expires = link.expiresAt ? `expires ${formatLinkDate(link.expiresAt)}` : 'never expires';
  return `By ${link.createdBy.name}, ${formatLinkDate(link.createdAt)} · ${used} · ${expires}`;
}
