// A figure or the reason it cannot be had. Telemetry never fills a gap with a guess.
export type Reading<T> = { ok: true; value: T; source: string } | { ok: false; reason: string };

export const unavailable = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
export const reading = <T>(value: T, source: string): Reading<T> => ({ ok: true, value, source });
