// Soak: the whole hostile ONNX corpus, slow cases included (graphs that never end, a mapping too slow for the w̄
// estimate), through the real studio import (models.importOnnx) under strace. Prints one JSON line per case and a
// summary line; exits 1 if any case was not refused as it should, opened a file outside, or ran past its bound.
//   node --import tsx tests/soak/hostile-models.ts [--trial-seconds SECONDS] [--time-limit SECONDS]
// --trial-seconds is the studio's limit for one test run of a file (default 3 s); the whole soak is bounded by the case
// count times that limit plus a fixed margin, or by --time-limit where that is sooner, and is killed past it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildHostileCorpus, SECRET } from '../support/hostile-onnx-corpus.js';
import { importUnderStrace, straceUnavailable } from '../support/strace-imports.js';

const SOAK = 'hostile-models';
/** Beyond the limit, what one case may take: starting the test process, loading ONNX Runtime, tracing overhead. */
const CASE_MARGIN_MS = 15_000;
const STARTUP_MS = 60_000;

function secondsOption(argv: readonly string[], name: string, fallback: number, most: number): number {
  const at = argv.indexOf(name);
  if (at === -1) return fallback;
  const seconds = Number(argv[at + 1]);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > most) throw new Error(`${name} takes a number of seconds in (0, ${most}]`);
  return seconds;
}

const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ soak: SOAK, ...line })}\n`);

async function main(): Promise<number> {
  const limitS = secondsOption(process.argv.slice(2), '--trial-seconds', 3, 600);
  const totalS = secondsOption(process.argv.slice(2), '--time-limit', Infinity, 24 * 3600);
  const unavailable = straceUnavailable();
  const work = mkdtempSync(path.join(tmpdir(), 'gan-studio-soak-hostile-'));
  const started = Date.now();
  try {
    const corpus = await buildHostileCorpus(path.join(work, 'corpus'), { slow: true });
    const caseBoundMs = limitS * 1000 + CASE_MARGIN_MS;
    const traced = await importUnderStrace(corpus.cases, path.join(work, 'run'), limitS, Math.min(totalS * 1000, STARTUP_MS + corpus.cases.length * caseBoundMs), path.join(corpus.outside, 'id_rsa'), { trace: unavailable === null });
    let failed = 0;
    for (const t of traced) {
      if (t.case === 'canary') {
        // The tracing must see the studio read the private file on purpose, or its silence below proves nothing.
        const ok = unavailable !== null || t.forbiddenOpens.length === 1;
        if (!ok) failed++;
        print({ case: 'canary', ok, code: null, ms: 0, traced: unavailable === null });
        continue;
      }
      const c = corpus.cases.find((k) => k.name === t.case)!;
      const expected = c.expect === 'ok' ? t.result.ok : !t.result.ok && t.result.code === c.expect.code && c.expect.phrase.test(t.result.message);
      const quotesSecret = JSON.stringify(t.result).includes(SECRET);
      const ok = expected && !quotesSecret && t.forbiddenOpens.length === 0 && t.ms <= caseBoundMs;
      if (!ok) failed++;
      print({
        case: t.case,
        ok,
        code: t.result.ok ? null : t.result.code,
        ms: t.ms,
        ...(ok ? {} : { message: t.result.ok ? null : t.result.message, expected: c.expect === 'ok' ? 'ok' : { code: c.expect.code, phrase: c.expect.phrase.source }, forbiddenOpens: t.forbiddenOpens, quotesSecret }),
      });
    }
    const missing = corpus.cases.length - traced.filter((t) => t.case !== 'canary').length;
    failed += missing;
    print({ summary: true, ok: failed === 0, cases: corpus.cases.length, failed, timeLimitS: limitS, traced: unavailable === null, ...(unavailable === null ? {} : { untracedBecause: unavailable }), ms: Date.now() - started });
    return failed === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    print({ summary: true, ok: false, error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  },
);
