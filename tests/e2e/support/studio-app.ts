// Starts the real studio in browser-window mode (the built CLI, as `npm start` does without Electron)
// and a headless Debian Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CLI = path.resolve('dist/main/cli/gan-studio.js');

export interface RunningStudio {
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `env` adds variables for the studio process (e.g. GAN_STUDIO_MODELS_DIR for the shipped models it serves). */
export async function startStudioServer(home: string, env: Record<string, string> = {}): Promise<RunningStudio> {
  if (!existsSync(CLI)) throw new Error('dist/ is not built: run "npm run build" (npm test does it).');
  const child = spawn(process.execPath, [CLI, 'serve', '--no-open', '--port', '0'], {
    env: { ...process.env, ...env, GAN_STUDIO_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`studio did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`studio exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  return page;
}

/** One test file's studio: a temp home, the studio serving it, and a Chromium page on it that records page errors. */
export interface StudioSession {
  home: string;
  studio: RunningStudio;
  browser: Browser;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Opens a session: `prepare` fills the temp home first (e.g. a models folder) and returns extra environment for the
 * studio process. `close` stops everything and removes the home, also after a half-open start.
 */
export async function openStudioSession(prefix: string, prepare?: (home: string) => Promise<Record<string, string>>): Promise<StudioSession> {
  const home = await mkdtemp(path.join(tmpdir(), `gan-studio-e2e-${prefix}-`));
  let studio: RunningStudio | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await studio?.stop();
    await rm(home, { recursive: true, force: true });
  };
  try {
    const env = (await prepare?.(home)) ?? {};
    studio = await startStudioServer(path.join(home, 'library'), env);
    browser = await launchChromium();
    const page = await openPage(browser, studio.url);
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    return { home, studio, browser, page, pageErrors, close };
  } catch (err) {
    await close();
    throw err;
  }
}
