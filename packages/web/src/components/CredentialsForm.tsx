import { useId, useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH, limits } from '@pockychat/protocol';
import { useAccount } from '../session/account-context.ts';
import { checkFields, describeAuthError } from './auth-messages.ts';
import { Field } from './Field.tsx';

interface CredentialsFormProps {
  mode: 'login' | 'register';
  /** Prefills the display name: a guest signing up keeps the name people know. */
  defaultName?: string;
}

/** Log in, or sign up, with an email and a password. */
export function CredentialsForm({ mode, defaultName = '' }: CredentialsFormProps) {
  const { auth, signedIn } = useAccount();
  const [name, setName] = useState(defaultName);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const registering = mode === 'register';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problem = checkFields(mode, name, email, password);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      const body = { email: email.trim(), password };
      signedIn(registering ? await auth.register({ ...body, name: name.trim() }) : await auth.login(body));
    } catch (failure) {
      setError(describeAuthError(failure));
      setBusy(false);
    }
  };

  return (
    // noValidate: the form explains problems in its own words, next to the button, not in a bubble.
    <form className="auth-form" noValidate onSubmit={(event) => void onSubmit(event)}>
      {registering && (
        <Field id={`${id}-name`} label="Display name">
          <input
            id={`${id}-name`}
            className="input input--large"
            value={name}
            maxLength={limits.maxNameChars}
            autoComplete="nickname"
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
      )}
      <Field id={`${id}-email`} label="Email">
        <input
          id={`${id}-email`}
          className="input input--large"
          type="email"
          value={email}
          autoComplete="email"
          onChange={(event) => setEmail(event.target.value)}
        />
      </Field>
      <Field
        id={`${id}-password`}
        label="Password"
        hint={registering ? `At least ${MIN_PASSWORD_LENGTH} characters.` : undefined}
      >
        <input
          id={`${id}-password`}
          className="input input--large"
          type="password"
          value={password}
          autoComplete={registering ? 'new-password' : 'current-password'}
          aria-describedby={registering ? `${id}-password-hint` : undefined}
          onChange={(event) => setPassword(event.target.value)}
        />
      </Field>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--large" disabled={busy}>
        {registering ? 'Sign up' : 'Log in'}
      </button>
    </form>
  );
}
