// Ties a child process's life to its parent's: a force-quit studio must not leave an engine (or an ONNX test run)
// spinning a core with nobody to report to, nor writing files into the library (an import's images) that no row will
// ever name.
import { Worker } from 'node:worker_threads';

/** How often the watchdog looks for its parent, in ms. */
const WATCH_INTERVAL_MS = 500;

// Runs on its own thread, so it still acts while the main thread is stuck in a long synchronous call (a tfjs kernel, an
// ONNX Runtime run that never ends), which would never see the 'disconnect' event. When the parent dies the child is
// reparented (ppid changes) on POSIX; on Windows ppid stays, so the parent's pid is also probed.
const watchdogSource = `
const { workerData } = require('node:worker_threads');
const parentAlive = () => {
  if (process.ppid !== workerData.ppid) return false;
  try { process.kill(workerData.ppid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
};
setInterval(() => { if (!parentAlive()) process.kill(process.pid, 'SIGKILL'); }, workerData.intervalMs);
`;

/**
 * Makes this process end when its parent does: at once when the IPC channel closes (Node fork), and within about
 * WATCH_INTERVAL_MS from a watchdog thread however busy the main thread is. Electron kills a utilityProcess with its
 * parent itself; the watchdog covers it anyway.
 */
export function exitWithParent(): void {
  if (process.send !== undefined) process.once('disconnect', () => process.exit(0));
  const watchdog = new Worker(watchdogSource, { eval: true, workerData: { ppid: process.ppid, intervalMs: WATCH_INTERVAL_MS }, execArgv: [] });
  watchdog.unref();
}
