import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startSshd, type Sshd, type SshdOptions } from '../sshd';
import type { SimBootResult, SimLaunchedInstance, SimLaunchHooks } from './launch';

export interface SshdLaunchOptions {
  /** Port every instance's sshd listens on (default 22, which needs root; any free port works otherwise). */
  port?: number;
  /** Passed to each sshd (host key type, extra config…). */
  sshd?: Omit<SshdOptions, 'listenHost' | 'port' | 'authorizedKeys' | 'hostPrivateKey'>;
}

export interface SshdLaunchHooks extends SimLaunchHooks {
  /** The sshd currently standing in for an instance (undefined while it is stopped or before it booted). */
  sshdFor(instanceId: string): Sshd | undefined;
  stopAll(): Promise<void>;
}

// Loopback addresses handed out by this process; other processes are detected by trying to bind.
const taken = new Set<string>();

function* loopbackAddresses(): Generator<string> {
  for (let b = 0; b < 256; b++) {
    for (let c = b === 0 ? 2 : 1; c < 255; c++) yield `127.0.${b}.${c}`;
  }
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Launch hooks that make every launched instance a real OpenSSH server on its own loopback address
 * (127.0.0.2, 127.0.0.3, … port 22), authorising the launch's key pair, so a test can launch and then ssh in.
 * A stopped instance's sshd is stopped; starting it brings it back on the same address with the same host
 * key, as a real instance keeps both (without an Elastic IP a real one would get a new address; simplified).
 */
export function sshdLaunchHooks(options: SshdLaunchOptions = {}): SshdLaunchHooks {
  const port = options.port ?? 22;
  const running = new Map<string, Sshd>();
  const addressOf = new Map<string, string>();
  const hostKeys = new Map<string, string>();
  // One instance's boots and halts run in order: a start right after a stop must wait for the old sshd to go.
  const queues = new Map<string, Promise<unknown>>();
  function inOrder<T>(instanceId: string, step: () => Promise<T>): Promise<T> {
    const next = (queues.get(instanceId) ?? Promise.resolve()).catch(() => undefined).then(step);
    queues.set(instanceId, next);
    return next;
  }

  async function start(instance: SimLaunchedInstance, address: string): Promise<Sshd> {
    const hostPrivateKey = hostKeys.get(instance.id);
    return startSshd({
      ...options.sshd,
      listenHost: address,
      port,
      ...(instance.publicKey === undefined ? {} : { authorizedKeys: [instance.publicKey] }),
      ...(hostPrivateKey === undefined ? {} : { hostPrivateKey }),
    });
  }

  async function bootOnFreeAddress(instance: SimLaunchedInstance): Promise<Sshd> {
    const known = addressOf.get(instance.id);
    if (known !== undefined) return start(instance, known);
    let lastError: unknown;
    for (const address of loopbackAddresses()) {
      if (taken.has(address) || !(await canBind(address, port))) continue;
      taken.add(address);
      try {
        const sshd = await start(instance, address);
        addressOf.set(instance.id, address);
        return sshd;
      } catch (error) {
        // Another process may have bound it between the probe and sshd's bind: try the next one.
        taken.delete(address);
        lastError = error;
        if (!/Address already in use|Cannot bind any address/.test(String(error))) throw error;
      }
    }
    throw new Error(`no free loopback address for an instance sshd: ${String(lastError)}`);
  }

  return {
    boot: (instance) =>
      inOrder(instance.id, async (): Promise<SimBootResult> => {
        const sshd = await bootOnFreeAddress(instance);
        running.set(instance.id, sshd);
        if (!hostKeys.has(instance.id)) {
          hostKeys.set(instance.id, await readFile(join(sshd.dir, `ssh_host_${sshd.hostKeyType}_key`), 'utf8'));
        }
        // One loopback address is both: the rig's "VPC" is this machine, so instances reach each other there.
        return { publicIp: sshd.host, privateIp: sshd.host, consoleOutput: cloudInitConsole(instance, sshd) };
      }),
    halt: (instance) =>
      inOrder(instance.id, async () => {
        const sshd = running.get(instance.id);
        running.delete(instance.id);
        await sshd?.stop();
      }),
    sshdFor: (id) => running.get(id),
    async stopAll(): Promise<void> {
      const all = [...running.values()];
      running.clear();
      await Promise.all(all.map((s) => s.stop()));
      for (const address of addressOf.values()) taken.delete(address);
      addressOf.clear();
    },
  };
}

const LABELS: Readonly<Record<string, string>> = { ed25519: 'ED25519', rsa: 'RSA', ecdsa: 'ECDSA' };

/** What cloud-init prints to the serial console on first boot, host key fingerprints included. */
function cloudInitConsole(instance: SimLaunchedInstance, sshd: Sshd): string {
  const host = `ip-${(instance.privateIp ?? '172.31.0.1').replace(/\./g, '-')}`;
  const bits = sshd.hostKeyType === 'rsa' ? 3072 : 256;
  return [
    `[    0.000000] Linux version 6.8.0-1018-aws (buildd@lcy02-amd64-046) #19-Ubuntu SMP`,
    `[    9.612044] cloud-init[512]: Cloud-init v. 24.3.1-0ubuntu0~24.04.2 running 'init' at ${new Date().toUTCString()}. Up 9.52 seconds.`,
    `[   11.207311] cloud-init[512]: Generating public/private ${sshd.hostKeyType} key pair.`,
    'ec2: ',
    'ec2: #############################################################',
    'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
    `ec2: ${bits} ${sshd.hostKeyFingerprintSha256} root@${host} (${LABELS[sshd.hostKeyType] ?? sshd.hostKeyType.toUpperCase()})`,
    'ec2: -----END SSH HOST KEY FINGERPRINTS-----',
    'ec2: #############################################################',
    '-----BEGIN SSH HOST KEY KEYS-----',
    `${sshd.hostPublicKey} root@${host}`,
    '-----END SSH HOST KEY KEYS-----',
    `[   14.902113] cloud-init[801]: Cloud-init v. 24.3.1-0ubuntu0~24.04.2 finished at ${new Date().toUTCString()}. Datasource DataSourceEc2Local.  Up 14.89 seconds`,
    '',
  ].join('\n');
}
