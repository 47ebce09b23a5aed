import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The file in a rig's temp dir naming the process that owns it. */
export const OWNER_FILE = 'owner.pid';

/**
 * A test worker killed by a signal runs no 'exit' handlers (its daemons still die, by pdeathsig), so its temp
 * dir stays behind: the next start removes dirs whose owner process is gone.
 */
export async function sweepStaleDirs(prefix: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(tmpdir());
  } catch {
    return;
  }
  for (const name of names.filter((entry) => entry.startsWith(prefix))) {
    const path = join(tmpdir(), name);
    const owner = Number(await readFile(join(path, OWNER_FILE), 'utf8').catch(() => ''));
    if (Number.isInteger(owner) && owner > 0 && !processExists(owner)) await rm(path, { recursive: true, force: true });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
