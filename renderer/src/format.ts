/** Bytes as GB (GiB, the unit memory is sold in), two decimals below 1 GB. */
export const gb = (n: number) => `${(n / 1024 ** 3).toFixed(n < 1024 ** 3 ? 2 : 1)} GB`;
