import { useId, useState, type FormEvent } from 'react';
import { limits } from '@pockychat/protocol';
import { Logo } from './Sidebar.tsx';

interface SignInProps {
  onGuest: (name: string) => Promise<void>;
  error: string | null;
}

export function SignInScreen({ onGuest, error }: SignInProps) {
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
    <main className="sign-in">
      <form className="sign-in__card" onSubmit={(event) => void onSubmit(event)}>
        <div className="sign-in__brand">
          <Logo />
          <span>pockychat</span>
        </div>
        <h1 className="sign-in__title">Welcome</h1>
        <p className="sign-in__lead">Pick a name and start chatting. No account needed.</p>
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
        {error && (
          <p className="sign-in__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--large" disabled={!name.trim() || busy}>
          {busy ? 'Joining…' : 'Join as guest'}
        </button>
      </form>
    </main>
  );
}
