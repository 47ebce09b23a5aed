import { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceFirewall } from '../../../shared/models/firewall';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { WayIn, WayInState, WaysIn } from '../../../shared/models/ways-in';
import type { Ec2Service } from '../ec2/ec2-service';
import { instanceConnectSupport } from '../keyless/instance-connect-support';
import type { SsmSessionApi } from '../keyless/ssm/ssm-session-api';
import type { EiceRoute } from '../keyless/eice/eice-route';
import type { SettingsStore } from '../settings/settings-store';
import type { KeysService } from '../ssh/keys-service';
import { routeOf } from '../ssh/route-of';

export interface WaysInService {
  /** The ways into each instance, best first (cached for `cacheMs`; a state change forgets the instance). */
  waysIn(instances: readonly Omit<InstanceRef, 'acceptHostKey'>[], signal?: AbortSignal): Promise<WaysIn[]>;
  /** One instance, for the services that must choose (tunnels): the cache is used when fresh. */
  one(instance: Omit<InstanceRef, 'acceptHostKey'>, signal?: AbortSignal): Promise<WaysIn>;
  forget(instanceId: string): void;
  /** Everything is looked up again (a key was imported, connection settings changed). */
  forgetAll(): void;
}

export interface WaysInDeps {
  ec2: Pick<Ec2Service, 'describeInstance'>;
  keys: Pick<KeysService, 'findForKeyPair' | 'list'>;
  settings: SettingsStore;
  /** The instance's security-group rules, to see whether port 22 is open at all. */
  firewall: { rules(ref: InstanceRef, signal?: AbortSignal): Promise<InstanceFirewall> };
  ssm: Pick<SsmSessionApi, 'agentStatus'>;
  /** Whether this build can push EC2 Instance Connect keys. */
  instanceConnect: boolean;
  /** EC2 Instance Connect Endpoints, the way SSH reaches an instance with no public address. */
  endpoints?: Pick<EiceRoute, 'find'> | undefined;
  cacheMs?: number;
}

// A few instances at a time: each costs a DescribeInstances, a rules lookup and a DescribeInstanceInformation.
const CONCURRENCY = 4;
const NOTHING_YET_MS = 5_000;

/**
 * Decides, from what AWS and the keychain say (no connection is tried), which ways into an instance work:
 * SSH needs an address and port 22 open in a security group (or a route of the user's own), then a held
 * key or Instance Connect; Session Manager needs the instance's agent online.
 */
export function createWaysInService(deps: WaysInDeps): WaysInService {
  const cacheMs = deps.cacheMs ?? 30_000;
  const cache = new Map<string, { at: number; value: Promise<WaysIn> }>();

  async function compute(instance: Omit<InstanceRef, 'acceptHostKey'>, signal?: AbortSignal): Promise<WaysIn> {
    const details = await deps.ec2.describeInstance(instance.accountId, instance.region, instance.instanceId, signal);
    const summary = details.instance;
    const stored = deps.settings.get().connections[instance.instanceId] ?? {};
    const route = routeOf(stored);
    const ownHost = stored.host !== undefined && stored.host !== '';
    const viaRoute = ownHost || route.jump !== undefined;
    const direct = viaRoute ? (stored.host ?? summary.privateIp) : (summary.publicIp ?? summary.ipv6Address ?? summary.publicDns);
    // No public address: SSH can still go through an EC2 Instance Connect Endpoint of its VPC.
    const endpoint =
      direct === undefined && summary.privateIp !== undefined && summary.state === 'running' ? await deps.endpoints?.find(details, instance, signal).catch(() => undefined) : undefined;
    const address = direct ?? (endpoint === undefined ? undefined : summary.privateIp);

    const [port22, agent] = await Promise.all([
      // Through an endpoint, port 22 is opened to the endpoint's group (a group source): the attempt says if not.
      viaRoute || endpoint !== undefined ? Promise.resolve<Port22>({ open: true, why: '' }) : port22Open(instance, signal),
      deps.ssm.agentStatus({ ...instance, title: summary.name ?? instance.instanceId }, signal).then(
        (status) => ({ status }),
        (error: unknown) => ({ error: error instanceof HangarError ? error.message : String(error) }),
      ),
    ]);

    let sshProblem: string | undefined;
    if (summary.state !== 'running') sshProblem = `it is ${summary.state}`;
    else if (address === undefined) sshProblem = 'it has no public IP address';
    else if (!port22.open) sshProblem = port22.why;

    const keyWay = await sshKeyWay(stored.keyId, summary.keyName, sshProblem);
    const support = instanceConnectSupport(details.imageName, summary.platform);
    const icWay: WayInState =
      !deps.instanceConnect
        ? { way: 'instance-connect', available: false, detail: 'not available in this build' }
        : sshProblem !== undefined
          ? { way: 'instance-connect', available: false, detail: `SSH cannot reach it: ${sshProblem}` }
          : support.kind === 'yes'
            ? { way: 'instance-connect', available: true, detail: `a one-minute key pushed by EC2 (${support.family})` }
            : support.kind === 'unknown'
              ? { way: 'instance-connect', available: true, detail: 'a one-minute key pushed by EC2, if its image has EC2 Instance Connect (its image name is not visible)' }
              : { way: 'instance-connect', available: false, detail: support.reason };
    const ssmWay: WayInState =
      'error' in agent
        ? { way: 'session-manager', available: false, detail: `could not ask Session Manager: ${agent.error}` }
        : agent.status.kind === 'online'
          ? { way: 'session-manager', available: true, detail: `its SSM agent is online${agent.status.agentVersion === '' ? '' : ` (version ${agent.status.agentVersion})`}; no SSH port needed` }
          : agent.status.kind === 'offline'
            ? { way: 'session-manager', available: false, detail: `its SSM agent is not connected (${agent.status.pingStatus})` }
            : { way: 'session-manager', available: false, detail: 'it has never registered with Session Manager (it needs the SSM agent and an instance profile with AmazonSSMManagedInstanceCore)' };

    const endpointWay: WayInState =
      endpoint !== undefined
        ? { way: 'endpoint', available: true, detail: `SSH goes through the EC2 Instance Connect Endpoint ${endpoint.endpointId} to its private address ${summary.privateIp ?? ''}` }
        : { way: 'endpoint', available: false, detail: direct === undefined ? 'its VPC has no EC2 Instance Connect Endpoint that is ready' : 'not needed: it has an address SSH reaches' };
    const ways = [keyWay, icWay, ssmWay, endpointWay];
    const best: WayIn | undefined = [keyWay, icWay, ssmWay].find((w) => w.available)?.way;
    return { instance, ways, ...(best === undefined ? {} : { best }), sshReachable: keyWay.available || icWay.available };
  }

  async function sshKeyWay(chosenKeyId: string | undefined, keyName: string | undefined, sshProblem: string | undefined): Promise<WayInState> {
    if (sshProblem !== undefined) return { way: 'ssh-key', available: false, detail: `SSH cannot reach it: ${sshProblem}` };
    if (chosenKeyId !== undefined) {
      const chosen = (await deps.keys.list()).find((k) => k.id === chosenKeyId);
      return chosen === undefined
        ? { way: 'ssh-key', available: false, detail: 'the key chosen in its connection settings is no longer stored' }
        : { way: 'ssh-key', available: true, detail: `the key "${chosen.name}" chosen in its connection settings` };
    }
    if (keyName === undefined) return { way: 'ssh-key', available: false, detail: 'it was launched without a key pair' };
    const held = await deps.keys.findForKeyPair(keyName);
    return held === undefined
      ? { way: 'ssh-key', available: false, detail: `the key pair "${keyName}" is not in Hangar's keychain (import its .pem in Accounts → SSH keys)` }
      : { way: 'ssh-key', available: true, detail: `the key pair "${keyName}", held in the keychain` };
  }

  async function port22Open(instance: Omit<InstanceRef, 'acceptHostKey'>, signal?: AbortSignal): Promise<Port22> {
    try {
      const firewall = await deps.firewall.rules(instance, signal);
      // A rule whose source is a security group lets in members of that group (a bastion), not this computer.
      const open = firewall.groups.some((g) => g.inbound.some((r) => r.source.kind !== 'group' && coversSsh(r.protocol, r.fromPort, r.toPort)));
      return open ? { open: true, why: '' } : { open: false, why: 'port 22 is closed: no rule of its security groups lets SSH in from outside' };
    } catch {
      // Not allowed to read the rules, or AWS did not answer: assume open and let the connection say what it finds.
      return { open: true, why: '' };
    }
  }

  function cached(instance: Omit<InstanceRef, 'acceptHostKey'>, signal?: AbortSignal): Promise<WaysIn> {
    const hit = cache.get(instance.instanceId);
    if (hit !== undefined && Date.now() - hit.at < cacheMs) return hit.value;
    const value = compute(instance, signal);
    const entry = { at: Date.now(), value };
    cache.set(instance.instanceId, entry);
    value.then(
      // Nothing works yet (still starting, its agent not registered): asked again within seconds, not half a minute.
      (ways) => {
        if (ways.best === undefined) entry.at = Date.now() - cacheMs + NOTHING_YET_MS;
      },
      () => cache.delete(instance.instanceId),
    );
    return value;
  }

  return {
    async waysIn(instances, signal) {
      const out: WaysIn[] = new Array<WaysIn>(instances.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < instances.length) {
          const at = next++;
          const instance = instances[at] as Omit<InstanceRef, 'acceptHostKey'>;
          out[at] = await cached(instance, signal).catch((error: unknown) => unknownWays(instance, error));
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, instances.length) }, worker));
      return out;
    },
    one: (instance, signal) => cached(instance, signal),
    forget: (instanceId) => void cache.delete(instanceId),
    forgetAll: () => cache.clear(),
  };
}

interface Port22 {
  readonly open: boolean;
  readonly why: string;
}

function coversSsh(protocol: string, from: number | undefined, to: number | undefined): boolean {
  if (protocol === '-1') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  return (from ?? 0) <= 22 && 22 <= (to ?? 65535);
}

/** The instance could not be looked up: every way unknown, Connect then tries SSH and says what it finds. */
function unknownWays(instance: Omit<InstanceRef, 'acceptHostKey'>, error: unknown): WaysIn {
  const why = `could not be checked (${error instanceof Error ? error.message : String(error)})`;
  return {
    instance,
    ways: [
      { way: 'ssh-key', available: false, detail: why },
      { way: 'instance-connect', available: false, detail: why },
      { way: 'session-manager', available: false, detail: why },
      { way: 'endpoint', available: false, detail: why },
    ],
    sshReachable: true,
  };
}
