import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Stops the test's munged, slurmctld and slurmd (started directly: no systemd in the rig) and waits for them
 * to be gone: slurmctld saves its state as it stops, so its folder can only be removed afterwards.
 */
export async function stopSlurmDaemons(runDir: string): Promise<void> {
  const pids: number[] = [];
  for (const name of ['slurmd', 'slurmctld', 'munged']) {
    try {
      const pid = Number((await readFile(join(runDir, `${name}.pid`), 'utf8')).trim());
      process.kill(pid);
      pids.push(pid);
    } catch {
      // not running
    }
  }
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let waited = 0; waited < 10_000 && pids.some(alive); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
}
