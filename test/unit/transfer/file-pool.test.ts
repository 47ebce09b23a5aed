import { describe, expect, it } from 'vitest';
import { FileFailure } from '../../../src/main/services/transfer/file-failure';
import { runFilePool } from '../../../src/main/services/transfer/file-pool';

function context(): { signal: AbortSignal; failures: string[]; failure(rel: string, code: string): void } {
  const failures: string[] = [];
  return { signal: new AbortController().signal, failures, failure: (rel, code) => failures.push(`${rel}:${code}`) };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

describe('runFilePool', () => {
  it('sends every file with at most `lanes` in flight and never two walk steps at once', async () => {
    const ctx = context();
    const items = Array.from({ length: 20 }, (_, i) => `f${i}`);
    let walking = 0;
    let overlapped = false;
    let inFlight = 0;
    let peak = 0;
    const sent: string[] = [];
    await runFilePool(ctx, {
      lanes: 4,
      next: async () => {
        walking++;
        if (walking > 1) overlapped = true;
        await Promise.resolve();
        walking--;
        return items.shift();
      },
      send: async (item) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        sent.push(item);
      },
      relOf: (item) => item,
    });
    expect(sent).toHaveLength(20);
    expect(peak).toBe(4);
    expect(overlapped).toBe(false);
  });

  it('records a FileFailure against its file and goes on with the others', async () => {
    const ctx = context();
    const items = ['a', 'bad', 'c'];
    const sent: string[] = [];
    await runFilePool(ctx, {
      lanes: 2,
      next: () => Promise.resolve(items.shift()),
      send: (item) => {
        if (item === 'bad') return Promise.reject(new FileFailure('REMOTE_PERMISSION_DENIED', 'no'));
        sent.push(item);
        return Promise.resolve();
      },
      relOf: (item) => item,
    });
    expect(sent.sort()).toEqual(['a', 'c']);
    expect(ctx.failures).toEqual(['bad:REMOTE_PERMISSION_DENIED']);
  });

  it('stops pulling after any other error and throws it once every lane has settled', async () => {
    const ctx = context();
    let pulled = 0;
    let running = 0;
    const stop = new Error('link lost');
    const outcome = runFilePool(ctx, {
      lanes: 3,
      next: (active) => {
        if (!active()) return Promise.resolve(undefined);
        pulled++;
        return Promise.resolve(pulled <= 100 ? pulled : undefined);
      },
      send: async (item) => {
        running++;
        await tick();
        running--;
        if (item === 2) throw stop;
      },
      relOf: String,
    });
    await expect(outcome).rejects.toBe(stop);
    expect(running).toBe(0);
    expect(pulled).toBeLessThan(10);
  });
});
