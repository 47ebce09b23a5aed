import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { HangarError } from '../../shared/errors/hangar-error';
import type { WireResult } from '../../shared/ipc/rpc-types';
import type { DispatchSession, Dispatcher } from '../ipc/dispatch';
import type { Logger } from '../services/logging/logger';

/** Channel names shared with src/preload/index.ts. */
export const IPC_CALL = 'hangar:call';
export const IPC_CANCEL = 'hangar:cancel';
export const IPC_PUSH = 'hangar:push';

export interface IpcAdapterOptions {
  dispatcher: Dispatcher;
  isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean;
  logger: Logger;
}

const FORBIDDEN: WireResult = {
  ok: false,
  error: new HangarError({ code: 'UNKNOWN_METHOD', message: 'This page may not call Hangar.' }).toJSON(),
};

/**
 * Carries the transport over ipcMain: one dispatch session per window contents, opened on its first
 * call and closed when the page goes away (reload, crash, close), which aborts that page's running calls.
 */
export function registerIpcAdapter(options: IpcAdapterOptions): () => void {
  const { dispatcher, logger } = options;
  const sessions = new Map<WebContents, DispatchSession>();

  function close(contents: WebContents): void {
    sessions.get(contents)?.close();
    sessions.delete(contents);
  }

  function sessionFor(contents: WebContents): DispatchSession {
    const existing = sessions.get(contents);
    if (existing) return existing;
    const created = dispatcher.open((push) => {
      if (!contents.isDestroyed()) contents.send(IPC_PUSH, push);
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

  ipcMain.handle(IPC_CALL, async (event, id: unknown, method: unknown, args: unknown): Promise<WireResult> => {
    if (!options.isTrustedSender(event)) {
      logger.warn('refused a call from an untrusted frame');
      return FORBIDDEN;
    }
    return sessionFor(event.sender).call(id as string, method as string, args);
  });

  const onCancel = (event: IpcMainEvent, id: unknown): void => {
    if (typeof id !== 'string' || !options.isTrustedSender(event)) return;
    sessions.get(event.sender)?.cancel(id);
  };
  ipcMain.on(IPC_CANCEL, onCancel);

  return () => {
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.off(IPC_CANCEL, onCancel);
    for (const contents of [...sessions.keys()]) close(contents);
  };
}
