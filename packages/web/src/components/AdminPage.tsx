import { useState } from 'react';
import type { User } from '@pockychat/protocol';
import { AdminRooms } from './AdminRooms.tsx';
import { AdminUsers } from './AdminUsers.tsx';
import { Modal } from './Modal.tsx';
import { Tabs } from './Tabs.tsx';

type Tab = 'users' | 'rooms';
const tabs = [
  { id: 'users', title: 'Users' },
  { id: 'rooms', title: 'Rooms' },
] as const;

/** The server's admin page (admins only, from the account menu): users and rooms. */
export function AdminPage({ me, onClose }: { me: User; onClose: () => void }) {
  const [tab, setTab] = useState<Tab>('users');
  return (
    <Modal title="Server admin" onClose={onClose}>
      <div className="admin-page">
        <Tabs label="Admin sections" idBase="admin" tabs={tabs} selected={tab} onSelect={setTab} />
        <div role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
          {tab === 'users' ? <AdminUsers me={me} /> : <AdminRooms />}
        </div>
      </div>
    </Modal>
  );
}
