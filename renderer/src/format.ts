import { gb } from '../../shared/format.ts';

export { gb };

// One formatter per count of decimals: toLocaleString with options builds a new Intl.NumberFormat on every
// call, which the profile of a streaming answer showed as the page's second-costliest function.
const formatters = new Map<number, Intl.NumberFormat>();

/** A number with a fixed count of decimals, in the user's locale. */
export const fmt = (n: number, digits = 0) => {
  let f = formatters.get(digits);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits });
    formatters.set(digits, f);
  }
  return f.format(n);
};

/** The last part of a path, on any platform. */
export const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** A file size in MB below 100 MB, in GB above. */
export const size = (n: number) => (n < 1e8 ? `${fmt(n / 1e6, 1)} MB` : gb(n));
