import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { HangarError, isHangarError } from '../../shared/errors/hangar-error';
import { IPC_CHANNELS } from '../../shared/ipc/channels';
import { droppedPathsSchema, type LocalGrant } from '../../shared/models/local-grants';
import type { WireResult } from '../../shared/ipc/rpc-types';
import type { DispatchSession, Dispatcher } from '../ipc/dispatch';
import type { Logger } from '../services/logging/logger';

/** The part of a WebContents the adapter uses. */
export type SenderLike = Pick<WebContents, 'send' | 'isDestroyed' | 'on' | 'off'>;
type SenderEvent = { sender: SenderLike };

/**
 * The part of Electron's ipcMain the adapter uses: passed in (the shell gives the real one), so the
 * contract tests can carry the same adapter and preload in one process without the Electron binary.
 */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
  off(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
}

export interface IpcAdapterOptions {
  ipcMain: IpcMainLike;
  dispatcher: Dispatcher;
  isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean;
  /** Grants for dropped items (services.grants.grantDropped); asked by the preload on its own channel. */
  grantDropped(paths: string[]): Promise<LocalGrant[]>;
  logger: Logger;
}

const FORBIDDEN: WireResult = {
  ok: false,
  error: new HangarError({ code: 'UNKNOWN_METHOD', message: 'This page may not call Hangar.' }).toJSON(),
};

/**
 * Carries the transport over ipcMain: one dispatch session per window contents, opened on its first
 * message and closed when the page goes away (reload, crash, close), which aborts that page's running calls.
 */
export function registerIpcAdapter(options: IpcAdapterOptions): () => void {
  const { dispatcher, logger, ipcMain } = options;
  const sessions = new Map<SenderLike, DispatchSession>();

  function close(contents: SenderLike): void {
    sessions.get(contents)?.close();
    sessions.delete(contents);
  }

  function sessionFor(contents: SenderLike): DispatchSession {
    const existing = sessions.get(contents);
    if (existing) return existing;
    const created = dispatcher.open((push) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.push, push);
    });
    sessions.set(contents, created);
    const onNavigate = (details: { isMainFrame: boolean; isSameDocument: boolean }): void => {
      if (details.isMainFrame && !details.isSameDocument) end();
    };
    const end = (): void => {
      contents.off('did-start-navigation', onNavigate);
      contents.off('render-process-gone', end);
      contents.off('destroyed', end);
      if (sessions.get(contents) === created) close(contents);
    };
    contents.on('did-start-navigation', onNavigate);
    contents.on('render-process-gone', end);
    contents.on('destroyed', end);
    return created;
  }

  ipcMain.handle(IPC_CHANNELS.call, async (event, id: unknown, method: unknown, args: unknown): Promise<WireResult> => {
    if (!options.isTrustedSender(event)) {
      logger.warn('refused a call from an untrusted frame');
      return FORBIDDEN;
    }
    return sessionFor((event as SenderEvent).sender).call(id as string, method as string, args);
  });

  const onCancel = (event: IpcMainEvent, id: unknown): void => {
    if (typeof id !== 'string' || !options.isTrustedSender(event)) return;
    sessions.get((event as SenderEvent).sender)?.cancel(id);
  };
  const onSubscribe = (event: IpcMainEvent, names: unknown): void => {
    if (!options.isTrustedSender(event)) return;
    sessionFor((event as SenderEvent).sender).subscribe(names);
  };
  ipcMain.on(IPC_CHANNELS.cancel, onCancel);
  ipcMain.on(IPC_CHANNELS.subscribe, onSubscribe);

  // Not a contract method: only the preload holds the dropped File objects its paths are read from.
  ipcMain.handle(IPC_CHANNELS.grantDropped, async (event, paths: unknown): Promise<WireResult> => {
    if (!options.isTrustedSender(event)) {
      logger.warn('refused dropped files from an untrusted frame');
      return FORBIDDEN;
    }
    const parsed = droppedPathsSchema.safeParse(paths);
    if (!parsed.success) {
      return { ok: false, error: new HangarError({ code: 'INVALID_ARGUMENT', message: 'Dropped items must be given as a list of paths.' }).toJSON() };
    }
    try {
      return { ok: true, value: await options.grantDropped(parsed.data) };
    } catch (error) {
      logger.error('dropped files could not be granted', error);
      const wrapped = isHangarError(error) ? error : new HangarError({ code: 'INTERNAL', message: 'Hangar could not take the dropped items.' });
      return { ok: false, error: wrapped.toJSON() };
    }
  });

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.call);
    ipcMain.removeHandler(IPC_CHANNELS.grantDropped);
    ipcMain.off(IPC_CHANNELS.cancel, onCancel);
    ipcMain.off(IPC_CHANNELS.subscribe, onSubscribe);
    for (const contents of [...sessions.keys()]) close(contents);
  };
}
