// scripts/npm-run.js, as `npm start` and `npm test` use it: through npm's own entry run by this Node when npm names
// it (npm_execpath; no npm.cmd, which Windows' Node refuses to spawn without a shell), else npm found on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempFolder } from '../../support/temp-home.js';

const helper = pathToFileURL(path.resolve('scripts/npm-run.js')).href;
const npmCli = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');

describe('npmRun', () => {
  let tmp: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    tmp = tempFolder('npm-run');
    const scripts = { ok: 'node -e "require(\'fs\').writeFileSync(\'ran\', \'yes\')"', bad: 'node -e "process.exit(3)"' };
    writeFileSync(path.join(tmp.path, 'package.json'), JSON.stringify({ name: 'npm-run-check', private: true, scripts }));
  });
  afterEach(() => tmp.remove());

  const npmRun = (script: string, npmExecpath: string | undefined): boolean => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.npm_execpath;
    if (npmExecpath !== undefined) env.npm_execpath = npmExecpath;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import { npmRun } from ${JSON.stringify(helper)}; process.exit(npmRun(${JSON.stringify(script)}) ? 0 : 1);`], { cwd: tmp.path, env, encoding: 'utf8' });
    return run.status === 0;
  };

  it.runIf(existsSync(npmCli))("runs a script through npm's own entry (npm_execpath), and says when it fails", () => {
    expect(npmRun('ok', npmCli)).toBe(true);
    expect(existsSync(path.join(tmp.path, 'ran'))).toBe(true);
    expect(npmRun('bad', npmCli)).toBe(false);
  });

  it('runs a script through npm on PATH without npm_execpath', () => {
    expect(npmRun('ok', undefined)).toBe(true);
    expect(existsSync(path.join(tmp.path, 'ran'))).toBe(true);
    expect(npmRun('bad', undefined)).toBe(false);
  });
});
