// The fast subset of the hostile-frames soak (tests/soak/hostile-frames.ts): 200 seeded frames over a real loopback
// WebSocket into a real studio; every frame answered with an error value or a result, the server alive at the end,
// nothing written outside the library home.
import { describe, expect, it } from 'vitest';
import { runHostileFrames } from '../../soak/hostile-frames.js';

describe('hostile WebSocket frames', () => {
  it('answers 200 seeded hostile frames over every method without a crash or a write outside the library', async () => {
    const lines: string[] = [];
    const summary = await runHostileFrames({ frames: 200, seed: 16, timeLimitS: 100, print: (line) => lines.push(line) });
    expect(lines.filter((line) => line.includes('"problem"') || line.includes('"crash"'))).toEqual([]);
    expect(summary).toMatchObject({ frames: 200, answered: 200, unanswered: 0, late: 0, badShape: 0, internal: 0, crashes: 0, aliveAtEnd: true, writtenOutside: [], passed: true });
    expect(summary.coveredMethods).toBe(39);
    expect(summary.errors).toBeGreaterThan(150);
  }, 150_000);
});
