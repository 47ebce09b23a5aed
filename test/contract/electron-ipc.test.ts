import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerIpcAdapter, type IpcMainLike, type SenderLike } from '../../src/main/electron/ipc-adapter';
import { createDispatcher } from '../../src/main/ipc/dispatch';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createLocalGrants, type LocalGrants } from '../../src/main/services/grants/local-grants';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createDropGranter } from '../../src/preload/dropped-files';
import { createPreloadTransport, type IpcRendererLike } from '../../src/preload/preload-transport';
import { IPC_CHANNELS } from '../../src/shared/ipc/channels';
import type { LocalGrant } from '../../src/shared/models/local-grants';
import { createClient } from '../../src/shared/ipc/create-client';
import { methodList } from '../../src/shared/ipc/method-list';
import { contractSpec } from './contract.spec';
import { createTestHandlers, testEventTable, testSchemas, type Observed, type TestApi, type TestEvents } from './test-api';

/**
 * Electron's IPC without the Electron binary: an ipcMain and one ipcRenderer per window that pass
 * structured clones between them, as the real ones do. The shell's own adapter and the preload's own
 * transport run over it unchanged, so the contract spec covers the third carrier too.
 */
function createFakeIpcMain(): IpcMainLike & { invoke(sender: SenderLike, channel: string, args: unknown[]): Promise<unknown>; emit(sender: SenderLike, channel: string, args: unknown[]): void } {
  const handlers = new Map<string, (event: never, ...args: unknown[]) => Promise<unknown>>();
  const listeners = new EventEmitter();
  return {
    handle: (channel, listener) => void handlers.set(channel, listener as never),
    removeHandler: (channel) => void handlers.delete(channel),
    on: (channel, listener) => listeners.on(channel, listener as never),
    off: (channel, listener) => listeners.off(channel, listener as never),
    async invoke(sender, channel, args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await handler({ sender } as never, ...structuredClone(args)));
    },
    emit(sender, channel, args) {
      listeners.emit(channel, { sender }, ...structuredClone(args));
    },
  };
}

function createFakeWindow(ipcMain: ReturnType<typeof createFakeIpcMain>): { renderer: IpcRendererLike; contents: SenderLike & { destroy(): void } } {
  const toRenderer = new EventEmitter();
  const lifecycle = new EventEmitter();
  let destroyed = false;
  const contents = {
    send: (channel: string, ...args: unknown[]) => void toRenderer.emit(channel, {}, ...structuredClone(args)),
    isDestroyed: () => destroyed,
    on: (name: string, listener: (...args: unknown[]) => void) => lifecycle.on(name, listener),
    off: (name: string, listener: (...args: unknown[]) => void) => lifecycle.off(name, listener),
    destroy() {
      destroyed = true;
      lifecycle.emit('destroyed');
    },
  } as unknown as SenderLike & { destroy(): void };
  const renderer: IpcRendererLike = {
    invoke: (channel, ...args) => ipcMain.invoke(contents, channel, args),
    send: (channel, ...args) => ipcMain.emit(contents, channel, args),
    on: (channel, listener) => toRenderer.on(channel, listener),
    removeListener: (channel, listener) => toRenderer.off(channel, listener),
  };
  return { renderer, contents };
}

function startIpcMain(observed: Observed, trusted: (sender: SenderLike) => boolean = () => true, grants: LocalGrants = createLocalGrants()) {
  const hub = createEventHub<TestEvents>();
  const dispatcher = createDispatcher<TestApi, TestEvents>({ schemas: testSchemas, handlers: createTestHandlers(observed), hub, events: testEventTable });
  const ipcMain = createFakeIpcMain();
  const stop = registerIpcAdapter({
    ipcMain,
    dispatcher,
    isTrustedSender: (event) => trusted((event as unknown as { sender: SenderLike }).sender),
    grantDropped: (paths) => grants.grantDropped(paths),
    logger: silentLogger,
  });
  const window = () => {
    const { renderer, contents } = createFakeWindow(ipcMain);
    const transport = createPreloadTransport(renderer, methodList(testSchemas));
    return { contents, renderer, transport, client: createClient<TestApi, TestEvents>(transport, testSchemas, testEventTable) };
  };
  return { hub, window, stop };
}

contractSpec('Electron IPC (the shell’s adapter and the preload’s transport)', async () => {
  const observed: Observed = { aborted: [], started: [] };
  const { hub, window } = startIpcMain(observed);
  const first = window();
  return {
    client: first.client,
    transport: first.transport,
    observed,
    publish: (name, payload, to) => hub.publish(name, payload, to === undefined ? {} : { to }),
    openWindow: async () => window(),
    disconnect: async () => first.contents.destroy(),
  };
});

describe('Electron IPC guards', () => {
  it('refuses calls and subscriptions from an untrusted frame', async () => {
    const observed: Observed = { aborted: [], started: [] };
    const trust: { sender?: SenderLike } = {};
    const { hub, window } = startIpcMain(observed, (sender) => sender === trust.sender);
    const good = window();
    const bad = window();
    trust.sender = good.contents;
    expect(await good.client.math.add(1, 2)).toBe(3);
    const refused = await bad.client.math.add(1, 2).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('UNKNOWN_METHOD');
    const heard: string[] = [];
    bad.client.on('instances.changed', (p) => heard.push(p.region));
    good.client.on('instances.changed', (p) => heard.push(`good:${p.region}`));
    await good.client.math.add(0, 0);
    hub.publish('instances.changed', { region: 'x' });
    await good.client.math.add(0, 0);
    expect(heard).toEqual(['good:x']);
  });

  it('never sends a method outside the allowlist to main', async () => {
    const observed: Observed = { aborted: [], started: [] };
    const { window } = startIpcMain(observed);
    const { transport } = window();
    const result = await transport.call('x1', 'math.sub', [1, 2]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('UNKNOWN_METHOD');
  });
});

describe('files dropped on an Electron window become grants', () => {
  it('the preload reads where each dropped File lives, main grants those (files and folders told apart)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hangar-drop-'));
    try {
      await writeFile(join(dir, 'id_ed25519'), 'key');
      await mkdir(join(dir, 'dataset'));
      const grants = createLocalGrants();
      const { window } = startIpcMain({ aborted: [], started: [] }, () => true, grants);
      const { renderer } = window();
      // webUtils.getPathForFile: the shell knows the path behind a File the user dropped, and '' for one the page made.
      const onDisk = new Map<File, string>();
      const key = new File(['key'], 'id_ed25519');
      const folder = new File([], 'dataset');
      onDisk.set(key, join(dir, 'id_ed25519')).set(folder, join(dir, 'dataset'));
      const madeByPage = new File(['x'], 'passwd');
      const granter = createDropGranter(renderer, (file) => onDisk.get(file) ?? '');

      const result = await granter([key, madeByPage, folder]);

      expect(result.ok).toBe(true);
      const value = (result.ok ? result.value : []) as LocalGrant[];
      expect(value.map((g) => [g.name, g.kind])).toEqual([
        ['id_ed25519', 'file'],
        ['dataset', 'folder'],
      ]);
      expect(grants.resolve(value.map((g) => g.id), ['file', 'folder'])).toEqual([join(dir, 'id_ed25519'), join(dir, 'dataset')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('grants nothing to an untrusted frame, nor for a payload that is not a list of paths', async () => {
    const trust: { sender?: SenderLike } = {};
    const grants = createLocalGrants();
    const { window } = startIpcMain({ aborted: [], started: [] }, (sender) => sender === trust.sender, grants);
    const good = window();
    const bad = window();
    trust.sender = good.contents;

    const refused = (await createDropGranter(bad.renderer, () => '/etc/passwd')([new File([], 'passwd')])) as { ok: boolean; error?: { code: string } };
    const malformed = (await good.renderer.invoke(IPC_CHANNELS.grantDropped, '/etc/passwd')) as { ok: boolean; error?: { code: string } };

    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('UNKNOWN_METHOD');
    expect(malformed.ok).toBe(false);
    expect(malformed.error?.code).toBe('INVALID_ARGUMENT');
    const granted = (await createDropGranter(good.renderer, () => '/etc/hostname')([new File([], 'hostname')])) as { ok: true; value: LocalGrant[] };
    // Only the trusted window's drop became a grant.
    expect(granted.value).toHaveLength(1);
    expect(() => grants.resolve(['g_AAAAAAAAAAAAAAAAAAAAAAAA'], ['file'])).toThrow(/chose or dropped/);
  });
});
