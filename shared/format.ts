// Figures written the same way in the back end's messages, the CLI and the UI.

/** Bytes as GB (GiB, the unit memory is sold in), two decimals below 1 GB. */
export const gb = (n: number) => `${(n / 1024 ** 3).toFixed(n < 1024 ** 3 ? 2 : 1)} GB`;
