// Who may talk to the headless shell: only pages it served itself, on the address it listens on,
// carrying the random token it printed. Refuses DNS rebinding (foreign Host) and cross-site pages
// (foreign Origin).
import { timingSafeEqual } from 'node:crypto';

export function allowedHosts(host: string, port: number): Set<string> {
  const hosts = new Set([`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`]);
  if (host === '::1') hosts.add(`[::1]:${port}`);
  return hosts;
}

export function hostAllowed(header: string | undefined, allowed: Set<string>): boolean {
  return header !== undefined && allowed.has(header.toLowerCase());
}

export function originAllowed(origin: string | undefined, allowed: Set<string>): boolean {
  if (origin === undefined) return true; // not a browser page: curl, the CLI, tests
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && allowed.has(url.host);
  } catch {
    return false;
  }
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
