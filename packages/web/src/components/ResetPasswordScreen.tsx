import { useId, useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from '@pockychat/protocol';
import { useAccount } from '../session/account-context.ts';
import { describeAuthError } from './auth-messages.ts';
import { Logo } from './Sidebar.tsx';
import { Field } from './Field.tsx';

/** The page a reset link opens (`/#reset=<token>`): a new password, then back to log in. */
export function ResetPasswordScreen({ token, onDone }: { token: string; onDone: (message: string) => void }) {
  const { auth } = useAccount();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (password.length < MIN_PASSWORD_LENGTH) {
      return setError(`The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    if (password !== again) return setError('The two passwords differ.');
    setBusy(true);
    setError(null);
    try {
      await auth.confirmPasswordReset(token, password);
      onDone('Your new password is set. Log in with it.');
    } catch (failure) {
      setError(describeAuthError(failure));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <div className="sign-in__card">
        <div className="sign-in__brand">
          <Logo />
          <span>pockychat</span>
        </div>
        <h1 className="sign-in__title">Choose a new password</h1>
        <p className="sign-in__lead">Your other sessions will be signed out.</p>
        <form className="auth-form" noValidate onSubmit={(event) => void onSubmit(event)}>
          <Field id={`${id}-password`} label="New password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}>
            <input
              id={`${id}-password`}
              className="input input--large"
              type="password"
              value={password}
              autoComplete="new-password"
              autoFocus
              onChange={(event) => setPassword(event.target.value)}
            />
          </Field>
          <Field id={`${id}-again`} label="New password again">
            <input
              id={`${id}-again`}
              className="input input--large"
              type="password"
              value={again}
              autoComplete="new-password"
              onChange={(event) => setAgain(event.target.value)}
            />
          </Field>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button--large" disabled={busy}>
            Set password
          </button>
          <button type="button" className="link-button" onClick={() => onDone('')}>
            Cancel
          </button>
        </form>
      </div>
    </main>
  );
}
