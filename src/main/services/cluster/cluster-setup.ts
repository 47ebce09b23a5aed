import { generateKeyPairSync } from 'node:crypto';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { Events } from '../../../shared/ipc/contract';
import type { ClusterNodeReport, ClusterSetupInput, ClusterSetupReport } from '../../../shared/models/cluster';
import type { EventHub } from '../app/event-hub';
import type { Ec2Service } from '../ec2/ec2-service';
import type { SecretStore } from '../secrets/secret-store';
import { clusterPrivateKey } from '../secrets/secret-keys';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { publicBlobOf, toOpenSshPrivateKey, type KeyParts } from '../ssh/keys/key-parts';
import type { SshConnection } from '../ssh/ssh-connection';
import { nodeCommand, type NodeFacts } from './cluster-files';
import { nfsCommand } from './nfs-share';

export interface ClusterSetupService {
  /**
   * Makes the nodes one cluster over SSH (idempotent, re-runnable): /etc/hosts entries, a cluster key
   * installed everywhere with every node's verified host key in known_hosts, ~/.ssh/config by name, and
   * ~/hostfile for MPI. A node that does not answer is reported and the others are set up.
   */
  setUp(input: ClusterSetupInput, signal?: AbortSignal): Promise<ClusterSetupReport>;
}

export interface ClusterSetupDeps {
  connections: Pick<ConnectionManager, 'acquire'>;
  ec2: Pick<Ec2Service, 'describeInstance' | 'instanceTypes'>;
  secrets: SecretStore;
  events: Pick<EventHub<Pick<Events, 'clusters.progress'>>, 'publish'>;
}

/** The cluster's own key pair, made once and kept in the keychain (nodes get it; nobody types it). */
async function clusterKey(secrets: SecretStore, clusterName: string): Promise<{ privateKey: string; publicKey: string }> {
  const stored = await secrets.get(clusterPrivateKey(clusterName));
  let parts: KeyParts;
  if (stored !== undefined) {
    const parsed = JSON.parse(stored) as { seed: string; publicKey: string };
    parts = { kind: 'ed25519', seed: Buffer.from(parsed.seed, 'base64'), publicKey: Buffer.from(parsed.publicKey, 'base64') };
  } else {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    parts = { kind: 'ed25519', publicKey: Buffer.from(jwk.x ?? '', 'base64url'), seed: Buffer.from(jwk.d ?? '', 'base64url') };
    await secrets.set(clusterPrivateKey(clusterName), JSON.stringify({ seed: parts.seed.toString('base64'), publicKey: parts.publicKey.toString('base64') }));
  }
  return {
    privateKey: toOpenSshPrivateKey(parts, `hangar-cluster-${clusterName}`),
    publicKey: `ssh-ed25519 ${publicBlobOf(parts).toString('base64')} hangar-cluster-${clusterName}`,
  };
}

type Reached = { node: ClusterSetupInput['nodes'][number]; connection: SshConnection; facts: NodeFacts };

/** NFS: master's folder exported to the nodes, mounted on each; a node where it fails says so, the rest go on. */
async function shareFolder(
  folder: string,
  facts: readonly NodeFacts[],
  reached: readonly Reached[],
  update: (instanceId: string, patch: Partial<ClusterNodeReport>) => void,
  signal?: AbortSignal,
): Promise<void> {
  const master = reached.find((r) => r.node.name === 'master');
  if (!master) return;
  const share = { folder, masterAddress: master.facts.privateIp, nodeAddresses: facts.map((f) => f.privateIp) };
  const step = async (r: Reached, role: 'master' | 'worker'): Promise<boolean> => {
    const { connection, node } = r;
    try {
      const { stdout, code } = await connection.run(nfsCommand(role, share), 10 * 60_000, signal);
      const problem = /hangar-error=(\S+)/.exec(stdout)?.[1];
      if (problem === 'nfs-packages') throw new Error(`the NFS packages (${role === 'master' ? 'nfs-kernel-server or nfs-utils' : 'nfs-common or nfs-utils'}) could not be installed`);
      if (problem === 'no-sudo') throw new Error('it needs root, and this user may not use sudo without a password');
      if (problem === 'no-package-manager') throw new Error('neither apt-get nor dnf is there to install NFS');
      if (code !== 0 || !stdout.includes('hangar-ok')) throw new Error(stdout.trim().split('\n').slice(-2).join(' ') || `exit ${code ?? '?'}`);
      return true;
    } catch (error) {
      update(node.instanceId, { state: 'failed', detail: `Shared folder ${folder} not set up: ${(error as Error).message}. The rest of the set-up is done.` });
      return false;
    }
  };
  if (!(await step(master, 'master'))) return;
  await Promise.all(reached.filter((r) => r !== master).map((r) => step(r, 'worker')));
}

export function createClusterSetup(deps: ClusterSetupDeps): ClusterSetupService {
  return {
    async setUp(input, signal) {
      const reports = new Map<string, ClusterNodeReport>(input.nodes.map((n) => [n.instanceId, { instanceId: n.instanceId, name: n.name, state: 'waiting' }]));
      const report = (finished = false): ClusterSetupReport => ({ clusterName: input.clusterName, nodes: [...reports.values()], finished });
      const update = (instanceId: string, patch: Partial<ClusterNodeReport>): void => {
        const current = reports.get(instanceId);
        if (current) reports.set(instanceId, { ...current, ...patch });
        deps.events.publish('clusters.progress', report());
      };

      // 1. Reach every node: its private IP, its verified host key, its user, its slots.
      const reached: { node: ClusterSetupInput['nodes'][number]; connection: SshConnection; facts: NodeFacts }[] = [];
      await Promise.all(
        input.nodes.map(async (node) => {
          update(node.instanceId, { state: 'connecting' });
          try {
            const { instance } = await deps.ec2.describeInstance(node.accountId, node.region, node.instanceId, signal);
            if (instance.privateIp === undefined) throw new HangarError({ code: 'SSH_NO_ADDRESS', message: 'It has no private IP address (is it running?).' });
            const { connection, target } = await deps.connections.acquire(node, signal);
            const [type] = await deps.ec2.instanceTypes(node.accountId, node.region, [instance.type], signal).catch(() => []);
            const slots = type?.gpus !== undefined && type.gpus > 0 ? type.gpus : (type?.vcpus ?? 1);
            const hostKey = connection.hostKey.publicKey;
            if (hostKey === undefined) {
              connection.release();
              throw new HangarError({ code: 'SSH_HOST_KEY_UNKNOWN', message: 'Its host key was not seen on this connection.', hint: 'Run the set-up again.' });
            }
            reached.push({ node, connection, facts: { name: node.name, privateIp: instance.privateIp, hostKey, user: connection.user, port: target.port, slots } });
            update(node.instanceId, { privateIp: instance.privateIp });
          } catch (error) {
            const failure = error instanceof HangarError ? error : new HangarError({ code: 'SSH_FAILED', message: (error as Error).message });
            update(node.instanceId, { state: 'failed', detail: `Not reached: ${failure.message}${failure.hint ? ` ${failure.hint}` : ''} The other nodes are set up without it; run the set-up again once it answers.` });
          }
        }),
      );

      // 2. Write the files on each node that answered, naming only those nodes.
      const key = reached.length > 0 ? await clusterKey(deps.secrets, input.clusterName) : undefined;
      const facts = input.nodes.flatMap((n) => reached.filter((r) => r.node.instanceId === n.instanceId).map((r) => r.facts));
      await Promise.all(
        reached.map(async ({ node, connection }) => {
          update(node.instanceId, { state: 'configuring' });
          try {
            const { stdout, code } = await connection.run(nodeCommand(input.clusterName, key?.privateKey ?? '', key?.publicKey ?? '', facts), 30_000, signal);
            if (code !== 0) throw new Error(`the set-up script ended with code ${code ?? 'unknown'}`);
            const hosts = /hosts=(\S+)/.exec(stdout)?.[1];
            update(node.instanceId, {
              state: 'done',
              detail:
                hosts === 'no-sudo'
                  ? 'Key, known_hosts, ~/.ssh/config and ~/hostfile written; /etc/hosts was not (no root and no passwordless sudo): nodes reach each other by name over SSH, MPI needs the IPs.'
                  : `Key, known_hosts, ~/.ssh/config, ~/hostfile and /etc/hosts (${hosts ?? 'written'}) set up for ${facts.length} node${facts.length === 1 ? '' : 's'}.`,
            });
          } catch (error) {
            update(node.instanceId, { state: 'failed', detail: `Set-up failed: ${(error as Error).message}` });
          }
        }),
      );
      // 3. Optionally a shared folder: master exports it, then every other node mounts it.
      try {
        if (input.share) await shareFolder(input.share.folder, facts, reached.filter((r) => reports.get(r.node.instanceId)?.state === 'done'), update, signal);
      } finally {
        for (const r of reached) r.connection.release();
      }
      const done = report(true);
      deps.events.publish('clusters.progress', done);
      return done;
    },
  };
}
