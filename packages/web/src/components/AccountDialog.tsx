import { useId, useState } from 'react';
import type { User } from '@pockychat/protocol';
import { CredentialsForm } from './CredentialsForm.tsx';
import { FacebookButton } from './FacebookButton.tsx';
import { Modal } from './Modal.tsx';
import { OidcButton } from './OidcButton.tsx';
import { useAuthOptions } from './use-auth-options.ts';
import { Tabs, type TabItem } from './Tabs.tsx';

type Mode = 'register' | 'login';
const modes: readonly TabItem<Mode>[] = [
  { id: 'register', title: 'Sign up' },
  { id: 'login', title: 'Log in' },
];

/**
 * A guest signs up or logs in without leaving the chat. The request carries the guest's token,
 * so the server moves the guest's rooms and messages to the account.
 */
export function AccountDialog({ me, onClose }: { me: User; onClose: () => void }) {
  const [mode, setMode] = useState<Mode>('register');
  const options = useAuthOptions();
  const id = useId();
  return (
    <Modal title="Keep your chats" onClose={onClose}>
      <p className="modal__lead">Your rooms and messages as {me.name} come along to the account.</p>
      <Tabs label="Account" idBase={id} tabs={modes} selected={mode} onSelect={setMode} />
      <div role="tabpanel" id={`${id}-panel-${mode}`} aria-labelledby={`${id}-tab-${mode}`}>
        <CredentialsForm key={mode} mode={mode} defaultName={mode === 'register' ? me.name : ''} />
      </div>
      <p className="divider">
        <span>or</span>
      </p>
      {options?.oidc && <OidcButton name={options.oidc.name} />}
      <FacebookButton />
    </Modal>
  );
}
