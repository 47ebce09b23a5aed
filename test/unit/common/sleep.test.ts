import { describe, expect, it } from 'vitest';
import { HangarError } from '../../../src/shared/errors/hangar-error';
import { sleep } from '../../../src/main/services/common/sleep';
import { throwIfAborted } from '../../../src/main/services/common/throw-if-aborted';

describe('sleep', () => {
  it('waits about as long as asked', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('ends at once with CANCELLED when aborted, before or during the wait', async () => {
    const before = new AbortController();
    before.abort();
    await expect(sleep(10_000, before.signal)).rejects.toMatchObject({ code: 'CANCELLED' });

    const during = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, during.signal);
    setTimeout(() => during.abort(), 10);
    await expect(waiting).rejects.toBeInstanceOf(HangarError);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('throwIfAborted', () => {
  it('throws CANCELLED only once the signal is aborted', () => {
    const controller = new AbortController();
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted(controller.signal)).not.toThrow();
    controller.abort();
    expect(() => throwIfAborted(controller.signal)).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
  });
});
