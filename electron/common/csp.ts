// The one Content Security Policy for the UI: no inline script, no eval, no remote code, no framing.
// Both shells serve it (main/ on its session, server/ on each page) and the build puts it in the page, so
// it lives in common/; the headless shell adds its own WebSocket endpoint to connect-src.
export function contentSecurityPolicy(connect = ''): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${connect ? ` ${connect}` : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The same policy for the page's own <meta http-equiv>, which holds even where no header is sent (a page
 * opened from disk). Browsers ignore frame-ancestors in a meta element (and warn), so it is left to the header.
 */
export function metaContentSecurityPolicy(): string {
  return contentSecurityPolicy()
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
}
