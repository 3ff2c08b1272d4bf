// The process tests/support/strace-imports.ts runs under strace: a real studio (temp library) that imports each case
// of a hostile corpus through models.importOnnx and prints one JSON line per case. Before each case it tries to open
// a marker path (which does not exist), so the strace log can be cut into the opens of each case.
import { openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openStudio } from '../../main/studio.js';

export interface ImportCasesInput {
  home: string;
  markerDir: string;
  trialSeconds: number;
  /** A file to read on purpose as the case 'canary', before the others: the check that the tracing catches it. */
  canary?: string;
  cases: Array<{ name: string; onnxPath: string; manifestPath: string }>;
}

export interface ImportCaseOutcome {
  case: string;
  ms: number;
  result: { ok: true } | { ok: false; code: string; message: string };
}

const input = JSON.parse(process.argv[2]!) as ImportCasesInput;
const mark = (name: string): void => {
  try {
    openSync(path.join(input.markerDir, name), 'r');
  } catch {
    // the marker never exists: only its open in the strace log counts
  }
};
const studio = await openStudio({ home: input.home, onnxTrialSeconds: input.trialSeconds });
try {
  const projectId = (await studio.dispatch('projects.create', { name: 'Hostile' })) as { ok: true; value: { id: number } };
  if (input.canary !== undefined) {
    mark('canary');
    readFileSync(input.canary);
    process.stdout.write(`${JSON.stringify({ case: 'canary', ms: 0, result: { ok: true } } satisfies ImportCaseOutcome)}\n`);
  }
  for (const c of input.cases) {
    mark(c.name);
    const started = Date.now();
    const result = await studio.dispatch('models.importOnnx', { projectId: projectId.value.id, onnxPath: c.onnxPath, manifestPath: c.manifestPath });
    const outcome: ImportCaseOutcome = { case: c.name, ms: Date.now() - started, result: result.ok ? { ok: true } : { ok: false, code: result.error.code, message: result.error.message } };
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  }
} finally {
  await studio.close();
}
