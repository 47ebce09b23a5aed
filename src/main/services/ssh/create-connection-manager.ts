import { HangarError } from '../../../shared/errors/hangar-error';
import type { HostKeyPin } from '../../../shared/models/settings';
import type { InstanceRef } from '../../../shared/models/transfers';
import { sleep } from '../common/sleep';
import { throwIfAborted } from '../common/throw-if-aborted';
import type { Ec2Service } from '../ec2/ec2-service';
import { instanceConnectSupport } from '../keyless/instance-connect-support';
import type { PushInstanceConnectKey } from '../keyless/instance-connect-push';
import { makeOneMinuteKey } from '../keyless/one-minute-key';
import type { EiceRoute } from '../keyless/eice/eice-route';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../settings/settings-store';
import { defaultUsers } from './default-users';
import { consoleLabelOf, hostKeyFacts, judgeByConsole, type HostKeyFacts } from './host-key-verifier';
import type { KeyMaterial, KeysService } from './keys-service';
import { isAuthFailure, isRefused, mapSshError, type SshErrorContext } from './map-ssh-error';
import { connectClient, SshConnection } from './ssh-connection';
import { hasRoute, openRoute, type OpenedRoute } from './route-socket';
import { routeOf } from './route-of';
import { createRouteMaterial } from './route-material';
import type { ResolveProxy } from './system-proxy';
import type { JumpHostSpec, ProxySpec } from '../../../shared/models/ssh-route';

export interface ConnectionManagerDeps {
  settings: SettingsStore;
  keys: Pick<KeysService, 'material' | 'findForKeyPair' | 'list'>;
  ec2: Pick<Ec2Service, 'describeInstance' | 'consoleOutput'>;
  logger: Logger;
  /** How long "connection refused" is retried while an instance boots; default 2 minutes. */
  refusedRetryMs?: number;
  /** Handshake + authentication budget per attempt; default 20 s. */
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** Users to try for an AMI name (tests point this at the sshd rig's user). */
  userCandidates?: (imageName: string | undefined) => string[];
  /** SendSSHPublicKey: without it, EC2 Instance Connect is never used (a key must be held). */
  pushInstanceConnectKey?: PushInstanceConnectKey;
  /** The system's proxy lookup (Electron: Chromium's resolveProxy); without it, ALL_PROXY / HTTPS_PROXY. */
  resolveProxy?: ResolveProxy;
  /** The password of an instance's proxy, from the keychain (never in settings). */
  proxyPassword?: (instanceId: string) => Promise<string | undefined>;
  /** EC2 Instance Connect Endpoint tunnels for instances with no public address (issue 15). */
  eice?: EiceRoute;
}

/** How the connection signs in: a key Hangar holds, or a one-minute key pushed by EC2 Instance Connect. */
export type ConnectionAuth = { readonly kind: 'key' } | { readonly kind: 'instance-connect'; readonly availabilityZone: string };

/** Where and as whom an instance is reached, resolved from EC2 facts and the per-instance settings. */
export interface ConnectionTarget {
  readonly input: InstanceRef;
  readonly title: string;
  readonly host: string;
  readonly port: number;
  readonly users: readonly string[];
  readonly userFixed: boolean;
  /** '' with EC2 Instance Connect. */
  readonly keyId: string;
  readonly keyName: string;
  readonly auth: ConnectionAuth;
  readonly errorContext: SshErrorContext;
  readonly persistent: boolean;
  /** Through a proxy and/or a jump host (issue 19); empty when direct. */
  readonly route: TargetRoute;
}

export interface TargetRoute {
  readonly proxy?: ProxySpec;
  /** Through whatever proxy the system's settings give for the first hop (resolved per connection). */
  readonly systemProxy?: boolean;
  readonly jump?: { readonly spec: JumpHostSpec; readonly keyId?: string; readonly fingerprintSha256: string };
  /** Through an EC2 Instance Connect Endpoint of its VPC, to its private address (no public one). */
  readonly eice?: { readonly endpointId: string; readonly dnsName: string };
}

/**
 * The one SSH connection per instance that terminals, transfers and tunnels share (ARCHITECTURE habit 5):
 * resolves the address, user and key, verifies the host key (pinned per instance id, vouched for by the
 * console output, or accepted by the user), retries "refused" while the instance boots, and hands out
 * reference-counted `SshConnection`s. Callers `release()` what they acquire.
 */
export interface ConnectionManager {
  acquire(ref: InstanceRef, signal?: AbortSignal): Promise<{ connection: SshConnection; target: ConnectionTarget }>;
  /** The live connection to an instance, if one is open (not acquired: for probes that must not keep it alive). */
  peek(instanceId: string): SshConnection | undefined;
  dispose(): void;
}

// SendSSHPublicKey's keys last 60 s; one older than this is pushed afresh before the next attempt.
const PUSHED_KEY_REUSE_MS = 40_000;

export function createConnectionManager(deps: ConnectionManagerDeps): ConnectionManager {
  const { settings, keys, ec2, logger } = deps;
  const refusedRetryMs = deps.refusedRetryMs ?? 120_000;
  const readyTimeoutMs = deps.readyTimeoutMs ?? 20_000;
  const keepaliveIntervalMs = deps.keepaliveIntervalMs ?? 15_000;
  const candidates = deps.userCandidates ?? defaultUsers;
  const connections = new Map<string, SshConnection>();
  const connecting = new Map<string, Promise<SshConnection>>();
  const routeMaterial = createRouteMaterial({ keys, resolveProxy: deps.resolveProxy, proxyPassword: deps.proxyPassword });

  function remember(instanceId: string, user: string): void {
    settings.mutate((s) => ({
      ...s,
      connections: { ...s.connections, [instanceId]: { ...s.connections[instanceId], rememberedUser: user } },
    }));
  }

  function pin(instanceId: string, facts: HostKeyFacts, verifiedBy: HostKeyPin['verifiedBy']): void {
    const entry: HostKeyPin = { keyType: facts.keyType, fingerprintSha256: facts.fingerprintSha256, verifiedBy, pinnedAt: new Date().toISOString() };
    settings.mutate((s) => ({ ...s, hostKeys: { ...s.hostKeys, [instanceId]: entry } }));
  }

  async function resolveTarget(input: InstanceRef, signal?: AbortSignal): Promise<ConnectionTarget> {
    const { accountId, region, instanceId } = input;
    const details = await ec2.describeInstance(accountId, region, instanceId, signal);
    const { instance } = details;
    const stored = settings.get().connections[instanceId] ?? {};
    const securityGroups = details.securityGroups.map((g) => (g.name === undefined ? g.id : `${g.id} (${g.name})`));

    const route = routeOf(stored);
    let host: string | undefined;
    let port = 22;
    if (stored.host !== undefined && stored.host !== '') {
      const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(stored.host) ?? /^([^:]+)(?::(\d+))?$/.exec(stored.host);
      host = m?.[1] ?? stored.host;
      if (m?.[2] !== undefined) port = Number(m[2]);
    } else if (route.jump !== undefined) {
      // From a bastion inside the VPC the instance is reached by its private address.
      host = instance.privateIp ?? instance.publicIp ?? instance.publicDns;
    } else {
      host = instance.publicIp ?? instance.ipv6Address ?? instance.publicDns;
    }
    let eice: TargetRoute['eice'];
    if (host === undefined && instance.privateIp !== undefined && deps.eice !== undefined) {
      const endpoint = await deps.eice.find(details, input, signal);
      if (endpoint !== undefined) [host, eice] = [instance.privateIp, { endpointId: endpoint.endpointId, dnsName: endpoint.dnsName }];
    }
    if (host === undefined) {
      throw new HangarError({
        code: 'SSH_NO_ADDRESS',
        message: `${instance.name ?? instanceId} has no public IP address, so it cannot be reached directly.`,
        hint:
          'Attach an Elastic IP, or create an EC2 Instance Connect Endpoint in its VPC (Hangar then uses it), or connect with Session Manager; an instance reached another way (VPN, bastion) can get its address in the connection settings.',
        details: { instanceId },
      });
    }

    const key = await resolveKey(details, stored.keyId, input.access === 'instance-connect');
    const userFixed = stored.user !== undefined;
    const users = userFixed
      ? [stored.user as string]
      : [...new Set([...(stored.rememberedUser === undefined ? [] : [stored.rememberedUser]), ...candidates(details.imageName)])];
    return {
      input,
      title: instance.name ?? instanceId,
      host,
      port,
      users,
      userFixed,
      ...key,
      persistent: stored.persistent === true,
      errorContext: { instanceId, host, port, securityGroups },
      route: eice === undefined ? route : { ...route, eice },
    };
  }

  /**
   * The key to sign in with: the one chosen in the connection settings, else the held key of the instance's
   * key pair, else (or when asked for) a one-minute key pushed by EC2 Instance Connect where the image has it.
   */
  async function resolveKey(
    details: Awaited<ReturnType<ConnectionManagerDeps['ec2']['describeInstance']>>,
    chosenKeyId: string | undefined,
    askedForInstanceConnect: boolean,
  ): Promise<Pick<ConnectionTarget, 'keyId' | 'keyName' | 'auth'>> {
    const { instance } = details;
    const instanceId = instance.id;
    const support = instanceConnectSupport(details.imageName, instance.platform);
    const viaInstanceConnect = (): Pick<ConnectionTarget, 'keyId' | 'keyName' | 'auth'> => ({
      keyId: '',
      keyName: 'a one-minute EC2 Instance Connect key',
      auth: { kind: 'instance-connect', availabilityZone: instance.availabilityZone },
    });
    if (askedForInstanceConnect) {
      if (deps.pushInstanceConnectKey === undefined) {
        throw new HangarError({ code: 'NOT_IMPLEMENTED', message: 'EC2 Instance Connect is not available in this build.' });
      }
      if (support.kind === 'no') {
        throw new HangarError({
          code: 'SSH_INSTANCE_CONNECT_UNSUPPORTED',
          message: `${instance.name ?? instanceId} cannot use EC2 Instance Connect: ${support.reason}.`,
          hint: instance.keyName === undefined
            ? 'Connect with a key authorised on it (choose it in the connection settings), or install the ec2-instance-connect package on the instance.'
            : `Connect with the key pair "${instance.keyName}" instead: import its .pem in Accounts → SSH keys. Or install the ec2-instance-connect package on the instance.`,
          details: { instanceId },
        });
      }
      return viaInstanceConnect();
    }
    if (chosenKeyId !== undefined) {
      const summary = (await keys.list()).find((k) => k.id === chosenKeyId);
      if (summary === undefined) {
        throw new HangarError({
          code: 'SSH_KEY_MISSING',
          message: `The key chosen for ${instanceId} in its connection settings is no longer stored.`,
          hint: 'Choose another key in the connection settings, or import the key again in Accounts → SSH keys.',
          details: { instanceId },
        });
      }
      return { keyId: summary.id, keyName: summary.name, auth: { kind: 'key' } };
    }
    const found = instance.keyName === undefined ? undefined : await keys.findForKeyPair(instance.keyName);
    if (found !== undefined) return { keyId: found.id, keyName: found.name, auth: { kind: 'key' } };
    // No key held: a one-minute key needs nothing stored, where the image has EC2 Instance Connect.
    if (support.kind === 'yes' && deps.pushInstanceConnectKey !== undefined) return viaInstanceConnect();
    const orInstanceConnect =
      deps.pushInstanceConnectKey === undefined
        ? ''
        : support.kind === 'unknown'
          ? ' If its image has EC2 Instance Connect (Amazon Linux 2/2023, Ubuntu 20.04+), use "Connect with Instance Connect" on its row.'
          : support.kind === 'no'
            ? ` EC2 Instance Connect cannot stand in: ${support.reason}.`
            : '';
    if (instance.keyName === undefined) {
      throw new HangarError({
        code: 'SSH_KEY_MISSING',
        message: `${instance.name ?? instanceId} was launched without a key pair.`,
        hint: `Choose the key that is authorised on it in the connection settings.${orInstanceConnect}`,
        details: { instanceId },
      });
    }
    throw new HangarError({
      code: 'SSH_KEY_MISSING',
      message: `This instance wants the key pair "${instance.keyName}".`,
      hint: `Import its .pem file in Accounts → SSH keys.${orInstanceConnect}`,
      details: { instanceId, keyName: instance.keyName },
    });
  }

  /** A one-minute key pushed for `user` (the key is authorised for that user only). */
  async function pushedKey(target: ConnectionTarget, user: string, signal?: AbortSignal): Promise<KeyMaterial> {
    const push = deps.pushInstanceConnectKey;
    if (target.auth.kind !== 'instance-connect' || push === undefined) throw new Error('not an EC2 Instance Connect target');
    const key = makeOneMinuteKey();
    const { accountId, region, instanceId } = target.input;
    await push({ accountId, region, instanceId, osUser: user, publicKey: key.publicKey, availabilityZone: target.auth.availabilityZone, title: target.title }, signal);
    return { privateKey: key.privateKey };
  }

  /** One attempt's host key decision; a refusal is kept so the caller can throw it instead of ssh2's generic error. */
  function hostKeyJudge(target: ConnectionTarget, consoleCache: { text?: Promise<string | undefined> }) {
    const state: { rejection?: HangarError; verifiedBy?: 'console-output' | 'user' | 'pinned'; facts?: HostKeyFacts; publicKey?: string } = {};
    const { instanceId, accountId, region } = target.input;
    const verify = async (blob: Buffer): Promise<boolean> => {
      const facts = hostKeyFacts(blob);
      state.facts = facts;
      // The verified key itself (OpenSSH line form), for known_hosts files Hangar writes (cluster set-up).
      state.publicKey = `${facts.keyType} ${blob.toString('base64')}`;
      const details = { instanceId, fingerprintSha256: facts.fingerprintSha256, keyType: facts.keyType };
      const pinned = settings.get().hostKeys[instanceId];
      if (pinned !== undefined) {
        if (pinned.fingerprintSha256 === facts.fingerprintSha256) {
          state.verifiedBy = 'pinned';
          return true;
        }
        state.rejection = new HangarError({
          code: 'SSH_HOST_KEY_CHANGED',
          message: `The host key of ${target.title} changed since you last connected (it was ${pinned.fingerprintSha256}, now ${facts.fingerprintSha256}). The connection was blocked.`,
          hint: 'If you re-created or re-imaged this instance, that is expected: remove the pinned key in its connection settings and connect again. Otherwise someone may be intercepting the connection.',
          details: { ...details, pinnedFingerprintSha256: pinned.fingerprintSha256 },
        });
        return false;
      }
      consoleCache.text ??= ec2.consoleOutput(accountId, region, instanceId).catch((error: unknown) => {
        // No ec2:GetConsoleOutput permission or a transient failure: fall back to asking the user.
        logger.debug(`console output for ${instanceId} unavailable`, error);
        return undefined;
      });
      const verdict = judgeByConsole(facts, await consoleCache.text);
      if (verdict === 'match') {
        pin(instanceId, facts, 'console-output');
        state.verifiedBy = 'console-output';
        return true;
      }
      if (verdict === 'mismatch') {
        state.rejection = new HangarError({
          code: 'SSH_HOST_KEY_CHANGED',
          message: `The host key ${target.host} presented (${facts.fingerprintSha256}, ${consoleLabelOf(facts.keyType)}) does not match what AWS's console output reports for ${target.title}. The connection was blocked.`,
          hint: 'Someone may be intercepting the connection, or the address now belongs to another machine. Check the instance\'s address and its system log (Actions → Monitor and troubleshoot → Get system log).',
          details,
        });
        return false;
      }
      if (target.input.acceptHostKey === facts.fingerprintSha256) {
        pin(instanceId, facts, 'user');
        state.verifiedBy = 'user';
        return true;
      }
      state.rejection = new HangarError({
        code: 'SSH_HOST_KEY_UNKNOWN',
        message: `First connection to ${target.title}: its host key could not be verified through AWS (no fingerprints in the console output yet).`,
        hint: `Check that the fingerprint is ${facts.fingerprintSha256} (${consoleLabelOf(facts.keyType)}), for example in the instance's system log, then accept it.`,
        details,
      });
      return false;
    };
    return { state, verify };
  }

  async function connect(target: ConnectionTarget, signal?: AbortSignal): Promise<SshConnection> {
    const held = target.auth.kind === 'key' ? await keys.material(target.keyId) : undefined;
    const route = await routeMaterial(target);
    const consoleCache: { text?: Promise<string | undefined> } = {};
    const tried: string[] = [];
    for (const user of target.users) {
      const started = Date.now();
      let delay = 500;
      let pushed: { material: KeyMaterial; at: number } | undefined;
      for (;;) {
        // A pushed key lasts 60 s: pushed again when an instance that is still booting kept refusing.
        if (held === undefined && (pushed === undefined || Date.now() - pushed.at > PUSHED_KEY_REUSE_MS)) {
          pushed = { material: await pushedKey(target, user, signal), at: Date.now() };
        }
        const material = held ?? (pushed?.material as KeyMaterial);
        const judge = hostKeyJudge(target, consoleCache);
        let opened: OpenedRoute | undefined;
        try {
          const eice = target.route.eice;
          if (eice !== undefined && deps.eice !== undefined) {
            const sock = await deps.eice.open(target.input, eice, target.host, target.port, signal);
            opened = { sock, close: () => sock.destroy() };
          } else if (hasRoute(route)) opened = await openRoute(route, target.host, target.port, { readyTimeoutMs, keepaliveIntervalMs, ...(signal === undefined ? {} : { signal }) });
          const client = await connectClient({
            ...(opened === undefined ? {} : { sock: opened.sock }),
            host: target.host,
            port: target.port,
            username: user,
            privateKey: material.privateKey,
            ...(material.passphrase === undefined ? {} : { passphrase: material.passphrase }),
            verifyHostKey: judge.verify,
            readyTimeoutMs,
            keepaliveIntervalMs,
            ...(signal === undefined ? {} : { signal }),
          });
          if (!target.userFixed && settings.get().connections[target.input.instanceId]?.rememberedUser !== user) {
            remember(target.input.instanceId, user);
          }
          const facts = judge.state.facts;
          const conn = new SshConnection(target.input.instanceId, client, user, target.host, target.port, {
            fingerprintSha256: facts?.fingerprintSha256 ?? '',
            verifiedBy: judge.state.verifiedBy ?? 'pinned',
            ...(judge.state.publicKey === undefined ? {} : { publicKey: judge.state.publicKey }),
          });
          const hop = opened;
          if (hop !== undefined) conn.onClose(() => hop.close());
          return conn;
        } catch (error) {
          opened?.close();
          throwIfAborted(signal);
          if (judge.state.rejection !== undefined) throw judge.state.rejection;
          const left = refusedRetryMs - (Date.now() - started);
          if (isRefused(error) && left > 0) {
            logger.debug(`ssh ${target.host}:${target.port} refused; retrying in ${Math.min(delay, left)} ms`);
            await sleep(Math.min(delay, left), signal);
            delay = Math.min(delay * 2, 5000);
            continue;
          }
          if (isAuthFailure(error)) {
            tried.push(user);
            break;
          }
          throw mapSshError(error, target.errorContext);
        }
      }
    }
    if (target.auth.kind === 'instance-connect') {
      throw new HangarError({
        code: 'SSH_AUTH_FAILED',
        message: `${target.title} did not accept the one-minute EC2 Instance Connect key for the user${tried.length === 1 ? '' : 's'} ${tried.join(', ')}.`,
        hint: 'The instance must run the ec2-instance-connect package (Amazon Linux 2/2023, Ubuntu 20.04+ have it) and the user must exist there: set the right user in the connection settings, or connect with the key pair\'s .pem instead.',
        details: { instanceId: target.input.instanceId, usersTried: tried.join(', '), keysTried: 'EC2 Instance Connect' },
      });
    }
    throw new HangarError({
      code: 'SSH_AUTH_FAILED',
      message: `${target.title} did not accept the key "${target.keyName}" for the user${tried.length === 1 ? '' : 's'} ${tried.join(', ')}.`,
      hint: target.userFixed
        ? 'Check the user and key in this instance\'s connection settings: the key must be the key pair the instance was launched with (or one added to ~/.ssh/authorized_keys).'
        : 'Set the right user in the connection settings if the AMI uses another one, and check that the key is the key pair the instance was launched with.',
      details: { instanceId: target.input.instanceId, usersTried: tried.join(', '), keysTried: target.keyName },
    });
  }

  /** The proxy's password and the jump host's key, read from the keychain for this connection only. */
  /** A live connection to the instance, shared with its other tabs; the caller holds a reference. */
  async function acquireConnection(target: ConnectionTarget, signal?: AbortSignal): Promise<SshConnection> {
    const id = target.input.instanceId;
    const existing = connections.get(id);
    if (existing !== undefined && !existing.closed) {
      existing.acquire();
      return existing;
    }
    let pending = connecting.get(id);
    if (pending === undefined) {
      pending = connect(target, signal).then((conn) => {
        connections.set(id, conn);
        conn.onClose(() => {
          if (connections.get(id) === conn) connections.delete(id);
        });
        return conn;
      });
      connecting.set(id, pending);
      void pending.finally(() => connecting.delete(id)).catch(() => undefined);
    }
    const conn = await pending;
    conn.acquire();
    return conn;
  }

  return {
    async acquire(ref, signal) {
      const target = await resolveTarget(ref, signal);
      const connection = await acquireConnection(target, signal);
      return { connection, target };
    },
    peek(instanceId) {
      const conn = connections.get(instanceId);
      return conn === undefined || conn.closed ? undefined : conn;
    },
    dispose() {
      for (const conn of connections.values()) conn.end();
      connections.clear();
    },
  };
}
