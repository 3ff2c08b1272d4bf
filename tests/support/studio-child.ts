// A studio in its own process, driven over stdin/stdout, so tests and the soak can SIGKILL it (or its engine) for real.
// Usage: node --import tsx tests/support/studio-child.ts <home> [builtinModelsDir]
// stdin: one JSON call a line, {"id":1,"method":"projects.create","params":{...}} (method "studio.audit" reports the
// database's integrity and the files/rows audit; "studio.close" closes and exits). stdout: one JSON line each for
// {"ready":…}, {"id":…,"reply":…} and {"event":…,"payload":…}.
import { createInterface } from 'node:readline';
import type { MethodName } from '../../main/api/contract.js';
import { openStudio } from '../../main/studio.js';

const [home, builtinModelsDir] = process.argv.slice(2);
if (home === undefined) throw new Error('usage: studio-child.ts <home> [builtinModelsDir]');
const studio = await openStudio({ home, ...(builtinModelsDir === undefined ? {} : { builtinModelsDir }) });
const write = (line: unknown): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
studio.events.onAny((event, payload) => write({ event, payload }));
write({ ready: { pid: process.pid, enginePid: studio.engine.info().pid, repaired: studio.library.startupRepair } });

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const { id, method, params } = JSON.parse(line) as { id: number; method: string; params: unknown };
  if (method === 'studio.close') {
    await studio.jobs.whenIdle();
    await studio.close();
    write({ id, reply: { ok: true, value: null } });
    process.exit(0);
  }
  if (method === 'studio.audit') {
    write({ id, reply: { ok: true, value: { integrity: studio.library.integrityCheck(), ...studio.library.auditFiles() } } });
    continue;
  }
  void studio.dispatch(method as MethodName, params).then((reply) => write({ id, reply }));
}
