import { useId, useState, type FormEvent } from 'react';
import { limits } from '@pockychat/protocol';
import { CredentialsForm } from './CredentialsForm.tsx';
import { FacebookButton } from './FacebookButton.tsx';
import { ForgotPasswordForm } from './lazy-parts.ts';
import { LazyBoundary } from './LazyBoundary.tsx';
import { OidcButton } from './OidcButton.tsx';
import { useAuthOptions } from './use-auth-options.ts';
import { Logo } from './Sidebar.tsx';
import { Tabs, type TabItem } from './Tabs.tsx';

interface SignInProps {
  onGuest: (name: string) => Promise<void>;
  error: string | null;
}

/** A line above the forms: a failed single sign-on, or a password just reset. */
export interface SignInBanner {
  text: string;
  tone: 'error' | 'info';
}

type Mode = 'guest' | 'login' | 'register';
const modes: readonly TabItem<Mode>[] = [
  { id: 'guest', title: 'Guest' },
  { id: 'login', title: 'Log in' },
  { id: 'register', title: 'Sign up' },
];

const leads: Record<Mode, string> = {
  guest: 'Pick a name and start chatting. No account needed.',
  login: 'Welcome back. Your rooms are waiting.',
  register: 'An account keeps your rooms and lets people invite you.',
};

export function SignInScreen({ onGuest, error, banner = null }: SignInProps & { banner?: SignInBanner | null }) {
  const [mode, setMode] = useState<Mode>(banner?.tone === 'info' ? 'login' : 'guest');
  const [forgot, setForgot] = useState(false);
  const options = useAuthOptions();
  const id = useId();
  return (
    <main className="sign-in">
      <div className="sign-in__card">
        <div className="sign-in__brand">
          <Logo />
          <span>pockychat</span>
        </div>
        <h1 className="sign-in__title">Welcome</h1>
        <p className="sign-in__lead">{leads[mode]}</p>
        {banner && (
          <p
            className={banner.tone === 'error' ? 'form-error' : 'form-notice'}
            role={banner.tone === 'error' ? 'alert' : 'status'}
          >
            {banner.tone === 'error'
              ? `Single sign-on failed. ${banner.text.charAt(0).toUpperCase()}${banner.text.slice(1)}.`
              : banner.text}
          </p>
        )}
        <Tabs
          label="How to sign in"
          idBase={id}
          tabs={modes}
          selected={mode}
          onSelect={(next) => {
            setForgot(false);
            setMode(next);
          }}
        />
        <div
          role="tabpanel"
          id={`${id}-panel-${mode}`}
          aria-labelledby={`${id}-tab-${mode}`}
          className="sign-in__panel"
        >
          {mode === 'guest' ? (
            <GuestForm onGuest={onGuest} error={error} />
          ) : mode === 'login' && forgot ? (
            <LazyBoundary onClose={() => setForgot(false)}>
              <ForgotPasswordForm onBack={() => setForgot(false)} />
            </LazyBoundary>
          ) : (
            <CredentialsForm key={mode} mode={mode} />
          )}
          {mode === 'login' && !forgot && options?.passwordReset && (
            <button type="button" className="link-button" onClick={() => setForgot(true)}>
              Forgot password?
            </button>
          )}
        </div>
        <p className="divider">
          <span>or</span>
        </p>
        {options?.oidc && <OidcButton name={options.oidc.name} />}
        <FacebookButton />
      </div>
    </main>
  );
}

function GuestForm({ onGuest, error }: SignInProps) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    try {
      await onGuest(name.trim());
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="auth-form" onSubmit={(event) => void onSubmit(event)}>
      <div className="field">
        <label htmlFor={id} className="field-label">
          Name
        </label>
        <input
          id={id}
          className="input input--large"
          value={name}
          maxLength={limits.maxNameChars}
          autoComplete="nickname"
          autoFocus
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--large" disabled={!name.trim() || busy}>
        {busy ? 'Joining…' : 'Join as guest'}
      </button>
    </form>
  );
}
