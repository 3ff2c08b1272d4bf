// Nothing outside is opened: each file of the hostile ONNX corpus is imported by a real studio under strace, and no
// process of it (main, engine, test runner) opens a file beyond the import's own files, the studio's folders, its code
// and the system files Node and ONNX Runtime read (tests/support/strace-imports.ts) — the corpus's stand-in for the
// user's private files above all. Skipped, saying why, where strace is missing or ptrace is not permitted.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostileCorpus, type HostileCorpus } from '../../support/hostile-onnx-corpus.js';
import { importUnderStrace, straceUnavailable, type TracedCase } from '../../support/strace-imports.js';
import { tempDir } from '../../support/temp-home.js';

const unavailable = straceUnavailable();
if (unavailable !== null) console.warn(`[hostile-onnx-strace] skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('importing hostile ONNX files under strace', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  let corpus: HostileCorpus;
  let traced: TracedCase[];

  beforeAll(async () => {
    home = await tempDir();
    corpus = await buildHostileCorpus(path.join(home.dir, 'corpus'));
    traced = await importUnderStrace(corpus.cases, path.join(home.dir, 'work'), 2, 170_000, path.join(corpus.outside, 'id_rsa'));
  }, 180_000);
  afterAll(async () => {
    await home?.remove();
  });

  it('sees a forbidden open when there is one (the studio reading the private file on purpose)', () => {
    expect(traced.find((t) => t.case === 'canary')?.forbiddenOpens).toEqual([path.join(corpus.outside, 'id_rsa')]);
  });

  it('opens nothing outside for any file of the corpus, and refuses each as it should', () => {
    const cases = traced.filter((t) => t.case !== 'canary');
    expect(cases.map((t) => t.case)).toEqual(corpus.cases.map((c) => c.name));
    for (const [i, c] of corpus.cases.entries()) {
      expect(cases[i]!.forbiddenOpens, c.name).toEqual([]);
      if (c.expect === 'ok') expect(cases[i]!.result, c.name).toEqual({ ok: true });
      else expect(cases[i]!.result, c.name).toMatchObject({ ok: false, code: c.expect.code, message: expect.stringMatching(c.expect.phrase) });
    }
  });
});
