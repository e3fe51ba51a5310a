import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH, type User } from '@pockychat/protocol';
import type { AdminUser } from '../api/team-api.ts';
import { useTeamApi } from '../session/team-context.ts';
import { PageButtons, useCursorPages } from './CursorPages.tsx';
import { describeTeamError } from './team-errors.ts';
import { InlineConfirm } from './InlineConfirm.tsx';

/** The admin's list of users: search by name or email, page by page; deactivate, reactivate, set a password. */
export function AdminUsers({ me }: { me: User }) {
  const { admin } = useTeamApi();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const pages = useCursorPages();
  const [page, setPage] = useState<{ rows: AdminUser[]; next?: string } | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const { cursor } = pages;

  const load = useCallback(async () => {
    try {
      setPage(await admin.users(searched, cursor));
    } catch (error) {
      setStatus({ ok: false, text: describeTeamError('list users', error) });
    }
  }, [admin, searched, cursor]);
  useEffect(() => {
    void load();
  }, [load]);

  const search = (event: FormEvent) => {
    event.preventDefault();
    setSearched(query.trim());
    pages.reset();
  };
  const act = async (what: string, done: string, call: () => Promise<void>) => {
    setStatus(null);
    try {
      await call();
      setStatus({ ok: true, text: done });
    } catch (error) {
      setStatus({ ok: false, text: describeTeamError(what, error) });
    }
    await load();
  };

  return (
    <section className="admin-section" aria-label="Users">
      <form className="admin-search" role="search" onSubmit={search}>
        <label htmlFor={searchId} className="visually-hidden">
          Search users
        </label>
        <input
          id={searchId}
          className="input"
          type="search"
          placeholder="Name or email"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit" className="chip">
          Search
        </button>
      </form>
      <p className="form-status" role="status">
        {status?.ok ? status.text : ''}
      </p>
      {status?.ok === false && (
        <p className="form-error" role="alert">
          {status.text}
        </p>
      )}
      {page === null ? (
        <p className="form-status">Loading…</p>
      ) : page.rows.length === 0 ? (
        <p className="form-status">No user matches.</p>
      ) : (
        <ul className="admin-list" aria-label="Users found">
          {page.rows.map((row) => (
            <UserRow key={row.user.id} row={row} me={me} act={act} />
          ))}
        </ul>
      )}
      <PageButtons pages={pages} next={page?.next} />
    </section>
  );
}

type Act = (what: string, done: string, call: () => Promise<void>) => Promise<void>;

function UserRow({ row, me, act }: { row: AdminUser; me: User; act: Act }) {
  const { admin } = useTeamApi();
  const { user } = row;
  const [settingPassword, setSettingPassword] = useState(false);
  const deactivateRef = useRef<HTMLButtonElement>(null);
  const [askingDeactivate, setAskingDeactivate] = useState(false);
  return (
    <li className="admin-list__item" aria-label={user.name}>
      <div className="admin-list__who">
        <span className="admin-list__name">
          {user.name}
          {user.id === me.id && ' (you)'}
        </span>
        <span className="admin-list__detail">
          {row.email ?? kindLabels[user.kind]}
          {user.admin && ' · admin'}
          {row.deactivatedAt && ' · deactivated'}
        </span>
      </div>
      <div className="admin-list__actions">
        {user.id !== me.id &&
          (row.deactivatedAt ? (
            <button
              type="button"
              className="chip"
              onClick={() => void act('reactivate', `${user.name} is active again.`, () => admin.reactivate(user.id))}
            >
              Reactivate
            </button>
          ) : (
            <button
              ref={deactivateRef}
              type="button"
              className="chip"
              aria-expanded={askingDeactivate}
              onClick={() => setAskingDeactivate(true)}
            >
              Deactivate
            </button>
          ))}
        {user.kind === 'email' && (
          <button type="button" className="chip" onClick={() => setSettingPassword((open) => !open)}>
            Set password
          </button>
        )}
      </div>
      {askingDeactivate && (
        <InlineConfirm
          className="inline-confirm--row"
          question={`Deactivate ${user.name}? They are signed out everywhere at once.`}
          confirmLabel="Deactivate"
          returnFocus={() => deactivateRef.current}
          onConfirm={() => {
            setAskingDeactivate(false);
            void act('deactivate', `${user.name} is deactivated.`, () => admin.deactivate(user.id));
          }}
          onCancel={() => setAskingDeactivate(false)}
        />
      )}
      {settingPassword && (
        <PasswordForm
          user={user}
          onSet={(password) =>
            act('set the password', `${user.name} has a new password.`, () =>
              admin.setPassword(user.id, password),
            ).then(() => setSettingPassword(false))
          }
        />
      )}
    </li>
  );
}

function PasswordForm({ user, onSet }: { user: User; onSet: (password: string) => Promise<void> }) {
  const id = useId();
  const [password, setPassword] = useState('');
  const ok = password.length >= MIN_PASSWORD_LENGTH;
  return (
    <form
      className="admin-password"
      onSubmit={(event) => {
        event.preventDefault();
        if (ok) void onSet(password);
      }}
    >
      <label htmlFor={id} className="field-label">
        New password for {user.name}
      </label>
      <input
        id={id}
        className="input"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <p className="field-hint">At least {MIN_PASSWORD_LENGTH} characters. Their other sessions end.</p>
      <button type="submit" className="button" disabled={!ok}>
        Save password
      </button>
    </form>
  );
}

const kindLabels: Record<User['kind'], string> = {
  guest: 'Guest',
  email: 'Account',
  facebook: 'Facebook account',
  oidc: 'Single sign-on account',
};
