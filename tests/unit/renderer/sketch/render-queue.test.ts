// The live render queue: one request in flight, only the newest waiting one is sent, no older result ever shows.
import { describe, expect, it } from 'vitest';
import { RenderQueue } from '../../../../renderer/src/lib/sketch/render-queue.js';

/** A fake back end whose answers the test releases one by one, in any order. */
function controlledBackend() {
  const calls: { sketch: number; resolve: (image: string) => void; reject: (err: Error) => void }[] = [];
  const render = (sketch: number) => () =>
    new Promise<string>((resolve, reject) => calls.push({ sketch, resolve, reject }));
  return { calls, render, sent: () => calls.map((c) => c.sketch) };
}

/** What the user sees: the shown result, the errors reported, and the busy indicator's history. */
function screen() {
  const state = { shown: null as string | null, shownVersion: null as number | null, errors: [] as string[], busy: [] as boolean[] };
  const queue = new RenderQueue<number, string>({
    onResult: (image, version) => {
      state.shown = image;
      state.shownVersion = version;
    },
    onError: (err, version) => state.errors.push(`${version}: ${err instanceof Error ? err.message : String(err)}`),
    onBusyChange: (busy) => state.busy.push(busy),
  });
  return { state, queue };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RenderQueue', () => {
  it('renders one submission and shows its result', async () => {
    const backend = controlledBackend();
    const { state, queue } = screen();
    queue.submit(1, backend.render(1));
    expect(queue.busy).toBe(true);
    backend.calls[0]!.resolve('image-1');
    await queue.whenIdle();
    expect(state).toMatchObject({ shown: 'image-1', shownVersion: 1, errors: [], busy: [true, false] });
    expect(queue.busy).toBe(false);
  });

  it('keeps one request in flight and sends only the newest of those submitted meanwhile', async () => {
    const backend = controlledBackend();
    const { state, queue } = screen();
    queue.submit(1, backend.render(1));
    queue.submit(2, backend.render(2));
    queue.submit(3, backend.render(3));
    queue.submit(4, backend.render(4));
    await flush();
    expect(backend.sent()).toEqual([1]);
    backend.calls[0]!.resolve('image-1');
    await flush();
    expect(state.shown).toBe('image-1');
    expect(backend.sent()).toEqual([1, 4]);
    backend.calls[1]!.resolve('image-4');
    await queue.whenIdle();
    expect(backend.sent()).toEqual([1, 4]);
    expect(state).toMatchObject({ shown: 'image-4', shownVersion: 4, busy: [true, false] });
  });

  it('never lets an answer for an older submission replace a newer one', async () => {
    const backend = controlledBackend();
    const { state, queue } = screen();
    queue.submit(1, backend.render(1));
    backend.calls[0]!.resolve('image-1');
    await queue.whenIdle();
    queue.submit(2, backend.render(2));
    queue.invalidate(); // e.g. the model changed while 2 was rendering
    queue.submit(3, backend.render(3));
    await flush();
    backend.calls[1]!.resolve('image-2 (old model)');
    await flush();
    expect(state.shown).toBe('image-1');
    backend.calls[2]!.resolve('image-3');
    await queue.whenIdle();
    expect(state).toMatchObject({ shown: 'image-3', shownVersion: 3 });
  });

  it('drops what was waiting when invalidated', async () => {
    const backend = controlledBackend();
    const { state, queue } = screen();
    queue.submit(1, backend.render(1));
    queue.submit(2, backend.render(2));
    queue.invalidate();
    backend.calls[0]!.resolve('image-1');
    await queue.whenIdle();
    expect(backend.sent()).toEqual([1]);
    expect(state.shown).toBeNull();
  });

  it('reports a failure, keeps the last good result and goes on with the next submission', async () => {
    const backend = controlledBackend();
    const { state, queue } = screen();
    queue.submit(1, backend.render(1));
    backend.calls[0]!.resolve('image-1');
    await queue.whenIdle();
    queue.submit(2, backend.render(2));
    queue.submit(3, backend.render(3));
    backend.calls[1]!.reject(new Error('unknown method sketch.render'));
    await flush();
    expect(state.errors).toEqual(['2: unknown method sketch.render']);
    expect(state.shown).toBe('image-1');
    expect(backend.sent()).toEqual([1, 2, 3]);
    backend.calls[2]!.resolve('image-3');
    await queue.whenIdle();
    expect(state).toMatchObject({ shown: 'image-3', shownVersion: 3 });
    queue.submit(4, backend.render(4));
    backend.calls[3]!.resolve('image-4');
    await queue.whenIdle();
    expect(state.shown).toBe('image-4');
  });

  it('treats a job that throws before it is even async (e.g. rasterising failed) as a failure, and keeps working', async () => {
    const backend = controlledBackend();
    const { state, queue } = screen();
    queue.submit(1, () => {
      throw new Error('canvas unavailable');
    });
    await queue.whenIdle();
    expect(state.errors).toEqual(['1: canvas unavailable']);
    queue.submit(2, backend.render(2));
    backend.calls[0]!.resolve('image-2');
    await queue.whenIdle();
    expect(state.shown).toBe('image-2');
  });

  it('does not get stuck when a result handler throws', async () => {
    const errors: string[] = [];
    let shown = '';
    const queue = new RenderQueue<number, string>({
      onResult: (image) => {
        if (image === 'bad') throw new Error('cannot show');
        shown = image;
      },
      onError: (err) => errors.push((err as Error).message),
    });
    queue.submit(1, async () => 'bad');
    await queue.whenIdle();
    queue.submit(2, async () => 'good');
    await queue.whenIdle();
    expect(errors).toEqual(['cannot show']);
    expect(shown).toBe('good');
  });

  it('delivers nothing more after dispose', async () => {
    const backend = controlledBackend();
    const { state, queue } = screen();
    queue.submit(1, backend.render(1));
    queue.submit(2, backend.render(2));
    queue.dispose();
    queue.submit(3, backend.render(3));
    backend.calls[0]!.resolve('image-1');
    await queue.whenIdle();
    expect(backend.sent()).toEqual([1]);
    expect(state.shown).toBeNull();
  });
});
