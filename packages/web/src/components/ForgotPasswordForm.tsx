import { useId, useState, type FormEvent } from 'react';
import { useAccount } from '../session/account-context.ts';
import { describeAuthError } from './auth-messages.ts';
import { Field } from './Field.tsx';

/** "Forgot password?": asks for a reset link. The answer never says whether the email has an account. */
export function ForgotPasswordForm({ onBack }: { onBack: () => void }) {
  const { auth } = useAccount();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) return setError('Enter an email address, like ann@example.com.');
    setBusy(true);
    setError(null);
    try {
      setSent((await auth.requestPasswordReset(email.trim())).message);
    } catch (failure) {
      setError(describeAuthError(failure));
    }
    setBusy(false);
  };

  if (sent) {
    return (
      <div className="auth-form">
        <p className="form-notice" role="status">
          {sent} It works once, for an hour. Check your spam folder if it does not come.
        </p>
        <button type="button" className="button button--large" onClick={onBack}>
          Back to log in
        </button>
      </div>
    );
  }
  return (
    <form className="auth-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-label="Reset your password">
      <p className="field-hint">Type the email of your account: we send it a link to choose a new password.</p>
      <Field id={`${id}-email`} label="Email">
        <input
          id={`${id}-email`}
          className="input input--large"
          type="email"
          value={email}
          autoComplete="email"
          autoFocus
          onChange={(event) => setEmail(event.target.value)}
        />
      </Field>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--large" disabled={busy}>
        Send reset link
      </button>
      <button type="button" className="link-button" onClick={onBack}>
        Back to log in
      </button>
    </form>
  );
}
