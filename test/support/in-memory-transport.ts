import type { Transport, WirePush } from '../../src/shared/ipc/rpc-types';
import type { Dispatcher } from '../../src/main/ipc/dispatch';

/**
 * A client transport wired straight to a dispatcher, in one process (contract tests). Every message is
 * cloned the way structured clone (Electron IPC) would, so a value that cannot cross a real transport fails here too.
 */
export function createInMemoryTransport(dispatcher: Dispatcher): Transport & { close(): void } {
  const listeners = new Set<(push: WirePush) => void>();
  const session = dispatcher.open((push) => {
    const copy = structuredClone(push);
    for (const listener of [...listeners]) listener(copy);
  });
  return {
    async call(id, method, args) {
      return structuredClone(await session.call(id, method, structuredClone(args)));
    },
    cancel(id) {
      session.cancel(id);
    },
    subscribe(names) {
      session.subscribe(structuredClone([...names]));
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      session.close();
    },
  };
}
