import { useEffect, useState } from 'react';
import { backupsActions, useBackupsStore } from '../state/backupsStore.ts';
import { useAppStore } from '../state/appStore.ts';

const when = (t: number) => new Date(t).toLocaleString();
const size = (n: number) => `${(n / 1024).toFixed(0)} KB`;

/** The database's backups: made daily, before migrations and restores, and on request; newest first. */
export function BackupsView() {
  const backups = useBackupsStore((s) => s.backups);
  const busy = useBackupsStore((s) => s.busy);
  const done = useBackupsStore((s) => s.done);
  const health = useBackupsStore((s) => s.health);
  const dataDir = useAppStore((s) => s.dataDir);
  const [confirm, setConfirm] = useState<string | null>(null);
  useEffect(() => {
    void backupsActions.load();
  }, []);
  return (
    <section className="backups" aria-label="Backups">
      <h2 tabIndex={-1} data-view-focus>
        Backups
      </h2>
      <p>
        Edgewise backs its database up once a day, before every upgrade of its format and before a restore, and keeps
        the last seven in <code>{dataDir}/backups</code>. Each one is checked with SQLite’s integrity check when made.
      </p>
      {health?.message && <p role="status">{health.message}</p>}
      <button className="primary" disabled={busy} onClick={() => void backupsActions.create()}>
        Back up now
      </button>
      {done && <span role="status"> {done}</span>}
      {backups.length === 0 ? (
        <p>No backups yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Made</th>
              <th>Why</th>
              <th>Conversations</th>
              <th>Messages</th>
              <th>Size</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.id} data-testid="backup-row">
                <td title={b.id}>{when(b.createdAt)}</td>
                <td>{b.reason}</td>
                <td>{b.conversations}</td>
                <td>{b.messages}</td>
                <td>{size(b.sizeBytes)}</td>
                <td>
                  {confirm === b.id ? (
                    <>
                      <button disabled={busy} onClick={() => void backupsActions.restore(b.id)}>
                        Replace my conversations with this backup
                      </button>
                      <button onClick={() => setConfirm(null)}>Cancel</button>
                    </>
                  ) : (
                    <button disabled={busy} onClick={() => setConfirm(b.id)}>
                      Restore…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirm && (
        <p role="note">
          Restoring stops any answer being written and first backs up what is there now, so it can be undone.
        </p>
      )}
    </section>
  );
}
