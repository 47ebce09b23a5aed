import { mkdir, rmdir, stat } from 'node:fs/promises';

const LOCK = '/tmp/hangar-etc-hosts.lock';
const STALE_MS = 5 * 60_000;

/**
 * The cluster tests write the machine's one /etc/hosts (as a cluster's set-up does on a node); test files run in
 * parallel, so they take turns: a directory made atomically is the lock, one left by a crashed run goes stale.
 */
export async function lockEtcHosts(timeoutMs = 120_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(LOCK);
      return async () => {
        await rmdir(LOCK).catch(() => undefined);
      };
    } catch {
      const age = await stat(LOCK).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_MS) await rmdir(LOCK).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`another test has held ${LOCK} for too long`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
