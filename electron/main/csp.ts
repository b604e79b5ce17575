// The one Content Security Policy for the UI: no inline script, no eval, no remote code, no framing.
// The headless shell adds its own WebSocket endpoint to connect-src.
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
