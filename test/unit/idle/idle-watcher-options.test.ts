import { describe, expect, it } from 'vitest';
import { createIdleWatcherService } from '../../../src/main/services/idle/create-idle-watcher-service';
import { createLogger } from '../../../src/main/services/logging/logger';
import { isHangarError } from '../../../src/shared/errors/hangar-error';

/** The directories go into unit files and, for the state dir, into a root `rm -rf`: only plain, Hangar-named paths. */
describe('idle watcher service options', () => {
  const make = (dirs: { unitDir?: string; binDir?: string; stateDir?: string }) => () =>
    createIdleWatcherService({
      connections: {
        acquire: () => {
          throw new Error('not reached');
        },
      },
      logger: createLogger({ level: 'error', sink: () => undefined }),
      ...dirs,
    });

  it.each([
    [{ unitDir: 'etc/systemd/system' }],
    [{ unitDir: '/etc/systemd/my units' }],
    [{ binDir: '/usr/local/%h/bin' }],
    [{ binDir: '/usr/local/../bin' }],
    [{ stateDir: '/' }],
    [{ stateDir: '/var/lib' }],
    [{ stateDir: '/var/lib/hangar-idle/..' }],
  ])('refuses %j', (dirs) => {
    let error: unknown;
    try {
      make(dirs)();
    } catch (e) {
      error = e;
    }
    expect(isHangarError(error) && error.code).toBe('INVALID_ARGUMENT');
  });

  it('takes the defaults and plain temp paths', () => {
    expect(make({})).not.toThrow();
    expect(make({ unitDir: '/tmp/x/etc/systemd/system/', binDir: '/tmp/x/bin', stateDir: '/tmp/x/var/lib/hangar-idle' })).not.toThrow();
  });
});
