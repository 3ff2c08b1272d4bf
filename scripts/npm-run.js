// Runs an npm script from scripts/start.js and scripts/test.js. Under `npm start` / `npm test`, npm names its own
// entry in npm_execpath, run here with this Node: no shell, and no npm.cmd, which Node (>= 20.12.2, CVE-2024-27980)
// refuses to spawn on Windows without a shell (EINVAL). Run some other way, npm is found on PATH, through a shell on
// Windows, where it is npm.cmd.
import { spawnSync } from 'node:child_process';

/** `npm run --silent <script>`, its output inherited; true when it succeeded. */
export function npmRun(script, env = process.env) {
  const args = ['run', '--silent', script];
  const npmEntry = process.env.npm_execpath;
  const run = npmEntry
    ? spawnSync(process.execPath, [npmEntry, ...args], { stdio: 'inherit', env })
    : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (run.error) console.error(`npm run ${script} could not start: ${run.error.message}`);
  return run.status === 0;
}
