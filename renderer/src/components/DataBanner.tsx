import { backupsActions, useBackupsStore } from '../state/backupsStore.ts';
import { appActions } from '../state/appStore.ts';

/** What the start-up checks found in the database, and a failed save, said plainly until dismissed. */
export function DataBanner() {
  const health = useBackupsStore((s) => s.health);
  const dismissed = useBackupsStore((s) => s.dismissed);
  if (!health || dismissed || (!health.message && !health.saveError)) return null;
  return (
    <div className="banner error" role="alert" data-testid="data-health">
      <span>{health.saveError ? `Saving failed: ${health.saveError}` : health.message}</span>
      <button onClick={() => appActions.show('backups')}>Backups…</button>
      <button onClick={backupsActions.dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
