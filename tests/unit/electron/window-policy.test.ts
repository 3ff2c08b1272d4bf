// The window's navigation, external-link and permission predicates, fed hostile URLs: what main.ts hands to
// will-navigate / will-frame-navigate / will-redirect, setWindowOpenHandler and the permission handlers.
import { describe, expect, it } from 'vitest';
import { APP_URL } from '../../../electron/studio-protocol.js';
import {
  EXTERNAL_LINK_HOSTS,
  isAllowedExternal,
  isAllowedNavigation,
  isAllowedPermission,
} from '../../../electron/window-policy.js';

const hostile = [
  'https://evil.example/',
  'http://127.0.0.1:5173/index.html',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'blob:studio://app/0b7f',
  'studio://asset/1/full',
  'studio://app.evil.example/index.html',
  'studio://evil@app/index.html',
  'studio://app:8080/index.html',
  'studio:app/index.html',
  'studio:///app/index.html',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  '',
  'not a url',
];

describe('navigation', () => {
  it("stays within the app's own pages", () => {
    expect(isAllowedNavigation(APP_URL)).toBe(true);
    expect(isAllowedNavigation('studio://app/')).toBe(true);
    expect(isAllowedNavigation('studio://app/index.html?view=library#top')).toBe(true);
  });

  it('refuses every other scheme, host, credential and port', () => {
    for (const url of hostile) expect({ url, allowed: isAllowedNavigation(url) }).toEqual({ url, allowed: false });
  });
});

describe('external links', () => {
  const hosts = ['docs.example.org'];

  it('opens only https URLs on a listed host', () => {
    expect(isAllowedExternal('https://docs.example.org/licence', hosts)).toBe(true);
    for (const url of [
      'http://docs.example.org/licence',
      'https://docs.example.org.evil.example/',
      'https://evil.example/?docs.example.org',
      'https://docs.example.org@evil.example/',
      'https://user:pw@docs.example.org/',
      'https://docs.example.org:8443/',
      'https://sub.docs.example.org/',
      'file://docs.example.org/etc/passwd',
      'javascript://docs.example.org/%0aalert(1)',
      ...hostile,
    ]) {
      expect({ url, allowed: isAllowedExternal(url, hosts) }).toEqual({ url, allowed: false });
    }
  });

  it("refuses everything with the app's own list, as no page links outside the app", () => {
    expect(EXTERNAL_LINK_HOSTS).toEqual([]);
    expect(isAllowedExternal('https://github.com/')).toBe(false);
    expect(isAllowedExternal('https://www.electronjs.org/docs')).toBe(false);
  });
});

describe('permissions', () => {
  it('grants clipboard writing to the app only', () => {
    expect(isAllowedPermission('clipboard-sanitized-write', 'studio://app')).toBe(true);
    expect(isAllowedPermission('clipboard-sanitized-write', APP_URL)).toBe(true);
    expect(isAllowedPermission('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(isAllowedPermission('clipboard-sanitized-write', 'studio://asset/1/full')).toBe(false);
  });

  it('denies everything else, even to the app', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'hid', 'serial', 'usb', 'fullscreen', 'pointerLock']) {
      expect({ permission, allowed: isAllowedPermission(permission, APP_URL) }).toEqual({ permission, allowed: false });
    }
  });
});
