// What the window may do beyond showing the app: where it may navigate, which links leave for the system browser,
// which web permissions it gets. Plain predicates (no electron import) so tests feed them hostile URLs; main.ts
// wires them to Electron's navigation, window-open and permission handlers.
import { STUDIO_SCHEME } from './studio-protocol.js';

/**
 * Hosts the app links to and may hand to the system browser (https only). Empty: no page of the app links outside
 * it today, so every external link is refused. Add a host here when the UI gains a link (licence, docs).
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [];

/** Web permissions the renderer uses: copying an export folder's path (TransferProgress: clipboard.writeText). */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A URL of the app's own pages: studio://app/…, nothing else (no credentials, no port, no other studio host). */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === `${STUDIO_SCHEME}:` &&
    parsed.host === 'app' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** will-navigate, will-frame-navigate, will-redirect: the window only ever moves within the app. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** shell.openExternal only for https URLs on an allowlisted host, without credentials or an explicit port. */
export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    hosts.includes(parsed.hostname)
  );
}

/** Permission checks and requests: only the ones the app uses, and only for the app's own pages. */
export function isAllowedPermission(permission: string, requestingUrl: string): boolean {
  return GRANTED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl);
}
