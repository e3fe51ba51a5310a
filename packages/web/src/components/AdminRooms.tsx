import { useEffect, useState } from 'react';
import type { AdminRoom } from '../api/team-api.ts';
import { useTeamApi } from '../session/team-context.ts';
import { formatFull } from './format-time.ts';
import { PageButtons, useCursorPages } from './CursorPages.tsx';
import { describeTeamError } from './team-errors.ts';

/** Every room of the server, page by page: visibility, owner, members, last activity. */
export function AdminRooms() {
  const { admin } = useTeamApi();
  const pages = useCursorPages();
  const [page, setPage] = useState<{ rows: AdminRoom[]; next?: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { cursor } = pages;

  useEffect(() => {
    let live = true;
    admin.rooms(cursor).then(
      (next) => live && setPage(next),
      (failure: unknown) => live && setError(describeTeamError('list rooms', failure)),
    );
    return () => {
      live = false;
    };
  }, [admin, cursor]);

  return (
    <section className="admin-section" aria-label="Rooms">
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {page === null ? (
        !error && <p className="form-status">Loading…</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Room</th>
              <th scope="col">Visibility</th>
              <th scope="col">Owner</th>
              <th scope="col">Members</th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((room) => (
              <tr key={room.name}>
                <th scope="row">{room.name}</th>
                <td>{room.visibility}</td>
                <td>{room.owner?.name ?? '—'}</td>
                <td>{room.members}</td>
                <td>{room.lastActivity ? formatFull(new Date(room.lastActivity)) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PageButtons pages={pages} next={page?.next} />
    </section>
  );
}
