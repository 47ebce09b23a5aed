import type { Sshd } from '../sshd';
import type { InstanceStore } from './instance-store';
import { checkAllowed, optionalString, requiredString, type JsonAction } from './json-protocol';
import { parsePublicKeyLine } from './key-pairs';
import { SimError } from './sim-error';

/** One SendSSHPublicKey that was accepted, for assertions. */
export interface SimInstanceConnectPush {
  readonly instanceId: string;
  readonly osUser: string;
  /** `<type> <base64>` as installed. */
  readonly publicKey: string;
  readonly time: number;
  /** Installed on an sshd (the instance had one standing in for it). */
  readonly installed: boolean;
}

interface LiveKey {
  readonly osUser: string;
  readonly line: string;
  readonly timer: NodeJS.Timeout;
}

/**
 * EC2 Instance Connect: a pushed key is authorised for its OS user for `ttlMs` (60 s on AWS, shorter in tests),
 * then removed. On AWS the instance's sshd asks the metadata service through an AuthorizedKeysCommand; here
 * the simulator writes the live keys into the rig's pushed-keys file, which its sshd reads per connection.
 * The rig logs in one user: a key pushed for any other user is accepted by the API and works for nobody, as
 * on AWS it would only open that other account.
 */
export class InstanceConnectKeys {
  readonly pushes: SimInstanceConnectPush[] = [];
  private readonly live = new Map<string, LiveKey[]>();
  private readonly attached = new Map<string, Sshd>();
  private writes = new Map<string, Promise<void>>();

  constructor(
    public ttlMs: number,
    private readonly launchedSshd: (instanceId: string) => Sshd | undefined,
  ) {}

  /** A seeded instance's stand-in sshd (launched instances bring their own). */
  attach(instanceId: string, sshd: Sshd): void {
    this.attached.set(instanceId, sshd);
  }

  async push(instanceId: string, osUser: string, line: string): Promise<void> {
    const sshd = this.sshdOf(instanceId);
    const timer = setTimeout(() => {
      this.live.set(instanceId, (this.live.get(instanceId) ?? []).filter((k) => k.timer !== timer));
      void this.write(instanceId).catch(() => undefined);
    }, this.ttlMs);
    timer.unref();
    this.live.set(instanceId, [...(this.live.get(instanceId) ?? []), { osUser, line, timer }]);
    this.pushes.push({ instanceId, osUser, publicKey: line, time: Date.now(), installed: sshd?.username === osUser });
    await this.write(instanceId);
  }

  /** Keys authorised right now on the instance, for its rig's login user. */
  liveKeys(instanceId: string): string[] {
    return (this.live.get(instanceId) ?? []).map((k) => k.line);
  }

  close(): void {
    for (const keys of this.live.values()) for (const k of keys) clearTimeout(k.timer);
    this.live.clear();
  }

  sshdOf(instanceId: string): Sshd | undefined {
    return this.launchedSshd(instanceId) ?? this.attached.get(instanceId);
  }

  /** Writes in order per instance, so a removal never lands before the install it follows. */
  private write(instanceId: string): Promise<void> {
    const step = async (): Promise<void> => {
      const sshd = this.sshdOf(instanceId);
      if (sshd === undefined) return;
      const lines = (this.live.get(instanceId) ?? []).filter((k) => k.osUser === sshd.username).map((k) => k.line);
      await sshd.setPushedKeys(lines);
    };
    const next = (this.writes.get(instanceId) ?? Promise.resolve()).catch(() => undefined).then(step);
    this.writes.set(instanceId, next);
    return next;
  }
}

// AWS's documented constraints: InstanceOSUser ^[A-Za-z_][A-Za-z0-9@._-]{0,30}[A-Za-z0-9$_-]?$, RSA keys of
// at least 2048 bits or ED25519.
const OS_USER = /^[A-Za-z_][A-Za-z0-9@._-]{0,30}[A-Za-z0-9$_-]?$/;

export function instanceConnectActions(keys: InstanceConnectKeys, store: InstanceStore): Readonly<Record<string, JsonAction>> {
  return {
    SendSSHPublicKey: async (ctx) => {
      const instanceId = requiredString(ctx.input, 'InstanceId', 'InvalidArgsException');
      const osUser = requiredString(ctx.input, 'InstanceOSUser', 'InvalidArgsException');
      const publicKey = requiredString(ctx.input, 'SSHPublicKey', 'InvalidArgsException');
      const zone = optionalString(ctx.input, 'AvailabilityZone', 'InvalidArgsException');
      checkAllowed(ctx, 'ec2-instance-connect', ['SendSSHPublicKey'], `arn:aws:ec2:${ctx.region}:${ctx.accountId}:instance/${instanceId}`);
      if (!OS_USER.test(osUser)) throw new SimError('InvalidArgsException', 'The OS user name is not valid.', 400);
      let parsed: ReturnType<typeof parsePublicKeyLine>;
      try {
        parsed = parsePublicKeyLine(publicKey.trim());
      } catch {
        throw new SimError('InvalidArgsException', 'The SSH public key is not in a supported format (RSA of at least 2048 bits, or ED25519).', 400);
      }
      if (parsed.type === 'rsa' && rsaBits(parsed.line) < 2048) {
        throw new SimError('InvalidArgsException', 'RSA keys must be at least 2048 bits.', 400);
      }
      const instance = store.get(instanceId);
      if (!instance || instance.region !== ctx.region || instance.state === 'terminated') {
        throw new SimError('EC2InstanceNotFoundException', 'Instance not found', 400);
      }
      if (zone !== undefined && zone !== instance.availabilityZone) {
        throw new SimError('InvalidArgsException', `Instance ${instanceId} is not in availability zone ${zone}.`, 400);
      }
      if (instance.state !== 'running') {
        throw new SimError('EC2InstanceStateInvalidException', 'Unable to connect because the instance is not in a valid state.', 400);
      }
      await keys.push(instanceId, osUser, parsed.line);
      return { RequestId: ctx.requestId, Success: true };
    },
  };
}

function rsaBits(line: string): number {
  const blob = Buffer.from(line.split(/\s+/)[1] ?? '', 'base64');
  const eLength = blob.readUInt32BE(11);
  const nLength = blob.readUInt32BE(15 + eLength);
  const n = blob.subarray(19 + eLength, 19 + eLength + nLength);
  return (n[0] === 0 ? n.length - 1 : n.length) * 8;
}
