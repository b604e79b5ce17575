// Figures written the same way in the back end's messages, the CLI and the UI.
import type { ThreadChoice } from './schemas.ts';

/** Bytes as GB (GiB, the unit memory is sold in), two decimals below 1 GB. */
export const gb = (n: number) => `${(n / 1024 ** 3).toFixed(n < 1024 ** 3 ? 2 : 1)} GB`;

/** "1 thread: measured 1 → 812 tok/s, 2 → 95 tok/s" (or remembered, or the user's choice). */
export function describeThreadChoice(choice: ThreadChoice): string {
  const head = `${choice.threads} thread${choice.threads === 1 ? '' : 's'}`;
  if (choice.source === 'override') return `${head}: set by you`;
  const figures = choice.measurements.map((m) => `${m.threads} → ${Math.round(m.tokensPerSec)} tok/s`).join(', ');
  return `${head}: ${choice.source === 'measured' ? 'measured' : 'measured earlier'} ${figures}`;
}
