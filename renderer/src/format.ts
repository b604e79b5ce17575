import { gb } from '../../shared/format.ts';

export { gb };

/** A number with a fixed count of decimals, in the user's locale. */
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The last part of a path, on any platform. */
export const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** A file size in MB below 100 MB, in GB above. */
export const size = (n: number) => (n < 1e8 ? `${fmt(n / 1e6, 1)} MB` : gb(n));
