// The renderer's Content-Security-Policy for both shells (Electron's studio:// scheme, the browser-window server),
// one directive per line with the reason it is there. Sent as a response header: a <meta> policy cannot set
// frame-ancestors, and Electron's webRequest.onHeadersReceived never sees custom-scheme responses.

type Directives = Record<string, string[]>;

const shared: Directives = {
  // Anything not named below: only the app's own origin.
  'default-src': ["'self'"],
  // Only the bundled scripts: no inline script, no eval, nothing remote (the studio works offline).
  'script-src': ["'self'"],
  // Svelte's style: directives and transitions write inline styles; styles cannot run code.
  'style-src': ["'self'", "'unsafe-inline'"],
  // data: for previews sent as PNG bytes (mixing, sketch edges: pngDataUrl) and index.html's empty favicon; blob:
  // for images the page makes itself. Nothing is drawn from outside the app.
  'img-src': ["'self'", 'data:', 'blob:'],
  // No plugins, no <base> rewriting relative URLs, never framed by another page; forms are handled in script
  // (onsubmit), so a native submission, which would reload the app and lose its state, is refused.
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/**
 * For documents of the studio:// scheme. Asset pixels come from studio://asset/…, a different host than the page
 * (studio://app), hence the `studio:` image source. Calls go over IPC, so connect-src stays 'self': no WebSocket,
 * no http, not even to 127.0.0.1.
 */
export const ELECTRON_CSP = serialize({
  ...shared,
  'img-src': [...shared['img-src']!, 'studio:'],
  'connect-src': ["'self'"],
});

/**
 * For the browser-window server's pages. `host` is the request's Host header, already checked to be our own
 * 127.0.0.1:<port> or localhost:<port>: the page may open a WebSocket to that origin only, never to another port
 * (another local service) or another host.
 */
export function browserWindowCsp(host: string): string {
  return serialize({ ...shared, 'connect-src': ["'self'", `ws://${host}`] });
}
