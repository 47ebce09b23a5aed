import { describe, expect, it } from 'vitest';
import { HangarError, isCancelled } from '../../src/shared/errors/hangar-error';
import type { Client, Progress, Transport } from '../../src/shared/ipc/rpc-types';
import type { Observed, TestApi, TestEvents } from './test-api';

export interface ContractWindow {
  client: Client<TestApi, TestEvents>;
  transport: Transport;
}

export interface ContractRig extends ContractWindow {
  observed: Observed;
  /** What a service does: publish to every listening window, or (`to`) to one window's session. */
  publish<K extends keyof TestEvents>(name: K, payload: TestEvents[K], to?: string): void;
  /** Another window on the same main process (same dispatcher and hub). */
  openWindow(): Promise<ContractWindow>;
  /** Drops the carrier (window closed / socket gone). */
  disconnect(): Promise<void>;
}

const until = async (check: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** One spec, run over every carrier: the renderer must not be able to tell them apart. */
export function contractSpec(carrier: string, makeRig: () => Promise<ContractRig>): void {
  describe(`IPC contract over ${carrier}`, () => {
    it('returns typed values', async () => {
      const { client } = await makeRig();
      expect(await client.math.add(2, 40)).toBe(42);
      expect(await client.math.echo({ text: 'héllo ✓', tags: ['a', 'b'] })).toEqual({ text: 'héllo ✓', tags: ['a', 'b'] });
    });

    it('validates payloads at runtime and names the argument, not its value', async () => {
      const { transport } = await makeRig();
      const bad = await transport.call('v1', 'math.add', [1, 'two']);
      expect(bad.ok).toBe(false);
      if (bad.ok) return;
      expect(bad.error.code).toBe('INVALID_ARGUMENT');
      expect(bad.error.message).toContain('argument 1');
      const extra = await transport.call('v2', 'math.echo', [{ text: 'x', tags: [], password: 'hunter2' }]);
      expect(extra.ok).toBe(false);
      if (!extra.ok) expect(JSON.stringify(extra.error)).not.toContain('hunter2');
      const tooMany = await transport.call('v3', 'math.add', [1, 2, 3]);
      expect(tooMany.ok).toBe(false);
    });

    it('refuses methods outside the allowlist, prototype tricks included', async () => {
      const { transport } = await makeRig();
      for (const method of ['math.sub', 'math', '__proto__.toString', 'math.constructor', 'constructor.name', 'math.hasOwnProperty', '']) {
        const result = await transport.call(`u-${method}`, method, []);
        expect(result.ok, method).toBe(false);
        if (!result.ok) expect(result.error.code, method).toBe('UNKNOWN_METHOD');
      }
    });

    it('carries errors as data and rebuilds HangarError on the client', async () => {
      const { client } = await makeRig();
      const error = await client.jobs.fail('hangar').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HangarError);
      const e = error as HangarError;
      expect(e.code).toBe('AWS_UNAUTHORIZED');
      expect(e.message).toBe('Not allowed to call ec2:StopInstances.');
      expect(e.hint).toBe('Ask for the permission.');
      expect(e.retryable).toBe(false);
      expect(e.details).toEqual({ action: 'ec2:StopInstances' });
    });

    it('hides raw errors behind INTERNAL without leaking their text', async () => {
      const { client } = await makeRig();
      const error = (await client.jobs.fail('raw').catch((e: unknown) => e)) as HangarError;
      expect(error.code).toBe('INTERNAL');
      expect(error.message).not.toContain('AKIA');
      expect(error.hint).toBeTruthy();
    });

    it('recognises cancellation by code', async () => {
      const { client } = await makeRig();
      const error = await client.jobs.fail('abort').catch((e: unknown) => e);
      expect(isCancelled(error)).toBe(true);
    });

    it('cancels by request id: the handler sees its AbortSignal and the caller gets CANCELLED', async () => {
      const { client, observed } = await makeRig();
      const controller = new AbortController();
      const pending = client.jobs.wait.with({ signal: controller.signal })(30_000);
      await until(() => observed.started.length === 1);
      const started = Date.now();
      controller.abort();
      const error = await pending.catch((e: unknown) => e);
      expect(isCancelled(error)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(observed.aborted).toEqual(observed.started);
      // An already-aborted signal never reaches main.
      const before = observed.started.length;
      await expect(client.jobs.wait.with({ signal: controller.signal })(10)).rejects.toSatisfy(isCancelled);
      expect(observed.started.length).toBe(before);
    });

    it('cancelling one call leaves the others running', async () => {
      const { client } = await makeRig();
      const controller = new AbortController();
      const doomed = client.jobs.wait.with({ signal: controller.signal })(10_000);
      const kept = client.jobs.wait(50);
      controller.abort();
      await expect(doomed).rejects.toSatisfy(isCancelled);
      expect(await kept).toBe('waited 50');
    });

    it('throttles progress and always delivers the last update', async () => {
      const { client } = await makeRig();
      const updates: Progress[] = [];
      const result = await client.jobs.count.with({ onProgress: (p) => updates.push(p) })(20_000);
      expect(result).toBe(20_000);
      expect(updates.length).toBeGreaterThan(0);
      // 20,000 reports in well under a few seconds: throttled to ~10/s, not one per report.
      expect(updates.length).toBeLessThan(100);
      expect(updates.at(-1)).toEqual({ done: 20_000, total: 20_000, unit: 'items' });
    });

    it('pushes typed events emitted by a handler and published by services to a listening window', async () => {
      const { client, publish } = await makeRig();
      const seen: Array<[string, unknown]> = [];
      client.on('jobs.announced', (payload) => seen.push(['jobs.announced', payload.text]));
      client.on('instances.changed', (payload) => seen.push(['instances.changed', payload.region]));
      await client.jobs.announce('hello');
      publish('instances.changed', { region: 'eu-west-1' });
      await until(() => seen.length >= 2);
      expect(seen).toEqual([
        ['jobs.announced', 'hello'],
        ['instances.changed', 'eu-west-1'],
      ]);
    });

    it('carries bytes in an event as a Uint8Array, untouched, next to the other fields', async () => {
      const { client, publish } = await makeRig();
      const seen: Array<{ id: string; data: Uint8Array; bytes: number }> = [];
      client.on('jobs.output', (payload) => seen.push(payload));
      // One round trip: the subscription has reached main before anything is published.
      await client.math.add(1, 1);
      // A UTF-8 sequence cut in half, a NUL and 0xff: bytes no string round trip would keep.
      const sent = Uint8Array.from([0x68, 0xc3, 0x00, 0xff, 0xe2, 0x9c]);
      const big = new Uint8Array(300_000).map((_, i) => i % 251);
      publish('jobs.output', { id: 'a', data: Buffer.from(sent), bytes: sent.length });
      publish('jobs.output', { id: 'b', data: big, bytes: big.length });
      publish('jobs.output', { id: 'c', data: new Uint8Array(0), bytes: 0 });
      await until(() => seen.length >= 3);
      expect(seen.map((s) => s.id)).toEqual(['a', 'b', 'c']);
      for (const payload of seen) expect(payload.data).toBeInstanceOf(Uint8Array);
      expect(Array.from(seen[0]?.data ?? [])).toEqual(Array.from(sent));
      expect(seen[0]?.bytes).toBe(6);
      expect(seen[1]?.data.byteLength).toBe(big.length);
      expect(Buffer.from(seen[1]?.data ?? []).equals(Buffer.from(big))).toBe(true);
      expect(seen[2]?.data.byteLength).toBe(0);
    });

    it('sends a window only the events it listens to, and stops when the last listener leaves', async () => {
      const { client, transport, publish } = await makeRig();
      const wire: string[] = [];
      transport.on((push) => {
        if (push.kind === 'event') wire.push(push.name);
      });
      const heard: string[] = [];
      const stopA = client.on('instances.changed', (p) => heard.push(`a:${p.region}`));
      const stopB = client.on('instances.changed', (p) => heard.push(`b:${p.region}`));
      // A round trip orders the subscription before the publish on every carrier.
      await client.math.add(1, 1);
      publish('instances.changed', { region: 'one' });
      await client.jobs.announce('nobody listens to this');
      await until(() => heard.length === 2);
      stopA();
      stopA();
      await client.math.add(1, 1);
      publish('instances.changed', { region: 'two' });
      await until(() => heard.length === 3);
      stopB();
      await client.math.add(1, 1);
      publish('instances.changed', { region: 'three' });
      await client.math.add(2, 2);
      expect(heard).toEqual(['a:one', 'b:one', 'b:two']);
      // Unlistened names never crossed the carrier: not the announcement, not the last publish.
      expect(wire).toEqual(['instances.changed', 'instances.changed']);
    });

    it('delivers an event addressed to one window to that window alone', async () => {
      const rig = await makeRig();
      const other = await rig.openWindow();
      const mine: string[] = [];
      const theirs: string[] = [];
      rig.client.on('instances.changed', (p) => mine.push(p.region));
      other.client.on('instances.changed', (p) => theirs.push(p.region));
      const [me, them] = await Promise.all([rig.client.jobs.whoAmI(), other.client.jobs.whoAmI()]);
      expect(me).not.toBe(them);
      rig.publish('instances.changed', { region: 'for-me' }, me);
      rig.publish('instances.changed', { region: 'for-them' }, them);
      rig.publish('instances.changed', { region: 'for-all' });
      await until(() => mine.length === 2 && theirs.length === 2);
      await Promise.all([rig.client.math.add(1, 1), other.client.math.add(1, 1)]);
      expect(mine).toEqual(['for-me', 'for-all']);
      expect(theirs).toEqual(['for-them', 'for-all']);
    });

    it('ignores subscriptions to names outside the contract', async () => {
      const { client, transport, publish } = await makeRig();
      expect(() => (client.on as (n: string, h: () => void) => void)('nope.never', () => undefined)).toThrow(/not an event/);
      const wire: string[] = [];
      transport.on((push) => {
        if (push.kind === 'event') wire.push(push.name);
      });
      transport.subscribe(['nope.never', '__proto__', 'jobs.announced']);
      await client.math.add(1, 1);
      (publish as (n: string, p: unknown) => void)('nope.never', {});
      await client.jobs.announce('x');
      await until(() => wire.length === 1);
      expect(wire).toEqual(['jobs.announced']);
    });

    it('rejects a reused request id while the first call runs', async () => {
      const { transport } = await makeRig();
      const first = transport.call('same', 'jobs.wait', [100]);
      const second = await transport.call('same', 'jobs.wait', [1]);
      expect(second.ok).toBe(false);
      expect((await first).ok).toBe(true);
    });

    it('aborts calls in flight when the carrier goes away', async () => {
      const { client, observed, disconnect } = await makeRig();
      const pending = client.jobs.wait(30_000).catch((e: unknown) => e);
      await until(() => observed.started.length === 1);
      await disconnect();
      await until(() => observed.aborted.length === 1);
      const error = (await pending) as HangarError | undefined;
      // In memory the call resolves as cancelled; over a socket the client sees the socket close.
      expect(error).toBeInstanceOf(HangarError);
      expect(['CANCELLED', 'TRANSPORT_CLOSED']).toContain(error?.code);
    });
  });
}
