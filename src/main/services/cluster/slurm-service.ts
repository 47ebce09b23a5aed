import { randomBytes } from 'node:crypto';
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { Events } from '../../../shared/ipc/contract';
import { CLUSTER_TAG, type ClusterNodeReport, type ClusterSetupReport } from '../../../shared/models/cluster';
import type { SlurmCluster, SlurmJobRef, SlurmJobs, SlurmSubmit } from '../../../shared/models/slurm';
import type { EventHub } from '../app/event-hub';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { createEc2Call } from '../launch/ec2-call';
import type { SecretStore } from '../secrets/secret-store';
import { clusterMungeKey } from '../secrets/secret-keys';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { SshConnection } from '../ssh/ssh-connection';
import { DEBIAN_LAYOUT, gresConf, mergeFinished, parseSacct, parseScontrolJobs, parseSqueue, SACCT_FORMAT, slurmConf, SQUEUE_FORMAT, type SlurmLayout, type SlurmNodeFacts } from './slurm-config';
import { FACTS_SCRIPT, nodeSlurmCommand, slurmEnv } from './slurm-scripts';

/** Slurm on a Hangar cluster (issue 16): set it up, submit a job, the queue and finished jobs, cancel, a job's output. */
export interface SlurmService {
  setUp(input: SlurmCluster, signal?: AbortSignal): Promise<ClusterSetupReport>;
  submit(input: SlurmSubmit, signal?: AbortSignal): Promise<{ jobId: string }>;
  jobs(input: SlurmCluster, signal?: AbortSignal): Promise<SlurmJobs>;
  cancel(input: SlurmJobRef, signal?: AbortSignal): Promise<void>;
  /** The end of the job's output file (64 KiB at most). */
  output(input: SlurmJobRef, signal?: AbortSignal): Promise<{ path: string; text: string }>;
}

export interface SlurmDeps {
  clientsFor(accountId: string): AwsClientFactory;
  connections: Pick<ConnectionManager, 'acquire'>;
  secrets: SecretStore;
  events: Pick<EventHub<Pick<Events, 'clusters.progress'>>, 'publish'>;
  /** Where Slurm lives on the nodes (Debian's packages and systemd by default; tests pass a rig's own). */
  layout?: SlurmLayout;
}

const nameOf = (i: Instance): string => i.Tags?.find((t) => t.Key === 'Name')?.Value ?? '';
const OUTPUT_BYTES = 64 * 1024;

export function createSlurmService(deps: SlurmDeps): SlurmService {
  const call = createEc2Call(deps.clientsFor);
  const layout = deps.layout ?? DEBIAN_LAYOUT;
  const env = slurmEnv(layout);

  async function runningNodes(ref: SlurmCluster, signal?: AbortSignal): Promise<{ instanceId: string; name: string; address: string }[]> {
    const out = await call(ref, 'ec2:DescribeInstances', signal, (c) =>
      c.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:${CLUSTER_TAG}`, Values: [ref.clusterName] }, { Name: 'instance-state-name', Values: ['running'] }] }), { abortSignal: signal }),
    );
    const nodes = (out.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .filter((i) => /^(master|node\d{3})$/.test(nameOf(i)))
      .map((i) => ({ instanceId: i.InstanceId ?? '', name: nameOf(i), address: i.PrivateIpAddress ?? '' }));
    if (nodes.length === 0) throw new HangarError({ code: 'NOT_FOUND', message: `No running node of cluster ${ref.clusterName} in ${ref.region}.`, hint: 'Start the cluster first.' });
    return nodes.sort((a, b) => (a.name === 'master' ? -1 : b.name === 'master' ? 1 : a.name.localeCompare(b.name)));
  }

  async function onMaster<T>(ref: SlurmCluster, work: (connection: SshConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const nodes = await runningNodes(ref, signal);
    const master = nodes.find((n) => n.name === 'master') ?? nodes[0];
    const { connection } = await deps.connections.acquire({ accountId: ref.accountId, region: ref.region, instanceId: master?.instanceId ?? '' }, signal);
    try {
      return await work(connection);
    } finally {
      connection.release();
    }
  }

  async function mungeKey(clusterName: string): Promise<string> {
    const stored = await deps.secrets.get(clusterMungeKey(clusterName));
    if (stored !== undefined) return stored;
    // munge wants at least 32 bytes of key; 1 KiB as mungekey makes.
    const made = randomBytes(1024).toString('base64');
    await deps.secrets.set(clusterMungeKey(clusterName), made);
    return made;
  }

  /** Runs a Slurm client command on master; a missing Slurm or a refusal is said with Slurm's own words. */
  async function client(connection: SshConnection, script: string, args: string[], signal?: AbortSignal): Promise<string> {
    const { stdout, code } = await connection.run({ script: `exec 2>&1; ${env}${script}`, args }, 30_000, signal);
    if (code === 0) return stdout;
    if (/command not found|not found|Could not establish a configuration source|Unable to contact slurm controller/i.test(stdout)) {
      throw new HangarError({ code: 'SLURM_NOT_SET_UP', message: `Slurm does not answer on master: ${stdout.trim().split('\n').at(-1) ?? ''}`, hint: 'Choose Set up Slurm (again) for this cluster.' });
    }
    throw new HangarError({ code: 'SLURM_REJECTED', message: stdout.trim().split('\n').slice(-3).join(' ') || `exit ${code ?? '?'}`, hint: 'Change the job’s options and submit again.' });
  }

  return {
    async setUp(ref, signal) {
      const nodes = await runningNodes(ref, signal);
      const reports = new Map<string, ClusterNodeReport>(nodes.map((n) => [n.instanceId, { instanceId: n.instanceId, name: n.name, state: 'waiting' }]));
      const publish = (finished = false): ClusterSetupReport => {
        const report = { clusterName: ref.clusterName, nodes: [...reports.values()], finished };
        deps.events.publish('clusters.progress', report);
        return report;
      };
      const update = (id: string, patch: Partial<ClusterNodeReport>): void => {
        const current = reports.get(id);
        if (current) reports.set(id, { ...current, ...patch });
        publish();
      };
      // 1. Every node's real CPUs, memory and GPUs (Slurm refuses a node that claims more than it has).
      const reached: { node: (typeof nodes)[number]; connection: SshConnection; facts: SlurmNodeFacts }[] = [];
      await Promise.all(
        nodes.map(async (node) => {
          update(node.instanceId, { state: 'connecting' });
          try {
            const { connection } = await deps.connections.acquire({ accountId: ref.accountId, region: ref.region, instanceId: node.instanceId }, signal);
            const { stdout } = await connection.run({ script: FACTS_SCRIPT }, 20_000, signal);
            const [hostname = '', cpus = '1', mem = '1024', gpus = '0'] = stdout.trim().split('\n');
            reached.push({ node, connection, facts: { name: node.name, hostname: hostname.trim(), address: node.address, cpus: Number(cpus) || 1, memoryMiB: Number(mem) || 1024, gpus: Number(gpus) || 0 } });
          } catch (error) {
            update(node.instanceId, { state: 'failed', detail: `Not reached: ${(error as Error).message}` });
          }
        }),
      );
      const facts = nodes.flatMap((n) => reached.filter((r) => r.node.instanceId === n.instanceId).map((r) => r.facts));
      if (!facts.some((f) => f.name === 'master')) {
        reached.forEach((r) => r.connection.release());
        throw new HangarError({ code: 'SLURM_FAILED', message: 'master did not answer, and it runs the Slurm controller.', hint: 'Set up Slurm again once master answers SSH.' });
      }
      const conf = slurmConf(ref.clusterName, facts, layout);
      const gres = gresConf(facts);
      const key = await mungeKey(ref.clusterName);
      // 2. master first (its controller must be up for the nodes to register), then the others at once.
      const configure = async ({ node, connection }: (typeof reached)[number]): Promise<void> => {
        update(node.instanceId, { state: 'configuring' });
        try {
          const { stdout, code } = await connection.run(nodeSlurmCommand({ role: node.name === 'master' ? 'master' : 'worker', name: node.name, conf, gres, mungeKeyBase64: key, layout }), 15 * 60_000, signal);
          const problem = /hangar-error=(\S+)/.exec(stdout)?.[1];
          if (problem === 'no-sudo') throw new Error('Slurm needs root there, and this user may not use sudo without a password.');
          if (problem === 'packages') throw new Error('the slurm-wlm / munge packages could not be installed (on Amazon Linux they come from EPEL).');
          if (problem === 'no-package-manager') throw new Error('neither apt-get nor dnf is there to install Slurm.');
          if (code !== 0 || !stdout.includes('hangar-ok')) throw new Error(`the set-up ended with code ${code ?? '?'}: ${stdout.trim().split('\n').slice(-2).join(' ')}`);
          update(node.instanceId, {
            state: 'done',
            detail: node.name === 'master' ? `slurmctld and slurmd running; ${facts.length} node${facts.length === 1 ? '' : 's'} in partition main.` : 'slurmd running.',
          });
        } catch (error) {
          update(node.instanceId, { state: 'failed', detail: `Slurm set-up failed: ${(error as Error).message}` });
        } finally {
          connection.release();
        }
      };
      const masterNode = reached.find((r) => r.node.name === 'master');
      if (masterNode) await configure(masterNode);
      await Promise.all(reached.filter((r) => r !== masterNode).map(configure));
      return publish(true);
    },

    async submit(input, signal) {
      return onMaster(
        input,
        async (connection) => {
          const options = [
            `--job-name=${input.jobName ?? input.fileName.replace(/\.[^.]*$/, '')}`,
            `--nodes=${input.nodes}`,
            ...(input.gpusPerNode > 0 ? [`--gres=gpu:${input.gpusPerNode}`] : []),
            ...(input.timeLimit === undefined ? [] : [`--time=${input.timeLimit}`]),
          ];
          const out = await client(
            connection,
            'dir="$HOME/hangar-jobs"; f="$2"; mkdir -p "$dir"; printf "%s" "$1" > "$dir/$f"; chmod 755 "$dir/$f"; cd "$dir"; shift 2; sbatch --parsable --output="$dir/%x-%j.out" "$@" "$dir/$f"',
            [input.script, input.fileName, ...options],
            signal,
          );
          const jobId = /^(\d+)/m.exec(out.trim().split('\n').at(-1) ?? '')?.[1];
          if (jobId === undefined) throw new HangarError({ code: 'SLURM_REJECTED', message: out.trim() || 'sbatch gave no job id.' });
          return { jobId };
        },
        signal,
      );
    },

    async jobs(input, signal) {
      return onMaster(
        input,
        async (connection) => {
          // The controller forgets a finished job after MinJobAge (5 minutes); accounting, where the cluster has it, keeps it.
          const script =
            'squeue -h -o "$1"; echo @@hangar@@; scontrol show job -o 2>/dev/null || true; echo @@hangar@@; ' +
            'if scontrol show config 2>/dev/null | grep -Eq "^AccountingStorageType *= *accounting_storage/slurmdbd"; then sacct -X -P -n -S now-7days --format="$2" 2>/dev/null || true; fi';
          const out = await client(connection, script, [SQUEUE_FORMAT, SACCT_FORMAT], signal);
          const [queueText = '', showText = '', sacctText = ''] = out.split('@@hangar@@');
          const shown = parseScontrolJobs(showText);
          const files = new Map(shown.map((j) => [j.id, j.stdout]));
          const queue = parseSqueue(queueText).map((j) => ({ ...j, stdout: files.get(j.id) }));
          return { queue, finished: mergeFinished(parseSacct(sacctText), shown) };
        },
        signal,
      );
    },

    async cancel(input, signal) {
      await onMaster(input, (connection) => client(connection, 'scancel "$1"', [input.jobId], signal), signal);
    },

    async output(input, signal) {
      return onMaster(
        input,
        async (connection) => {
          const out = await client(
            connection,
            'p=$(scontrol show job -o "$1" 2>/dev/null | sed -n "s/.*StdOut=\\([^ ]*\\).*/\\1/p"); [ -n "$p" ] && [ -f "$p" ] || p=$(ls "$HOME"/hangar-jobs/*-"$1".out 2>/dev/null | head -n 1); [ -n "$p" ] || { echo "hangar-no-output"; exit 0; }; echo "$p"; tail -c "$2" "$p"',
            [input.jobId, String(OUTPUT_BYTES)],
            signal,
          );
          if (out.startsWith('hangar-no-output')) throw new HangarError({ code: 'NOT_FOUND', message: `Job ${input.jobId} has no output file (yet).`, hint: 'A job that has not started has written nothing.' });
          const newline = out.indexOf('\n');
          return { path: out.slice(0, newline), text: out.slice(newline + 1) };
        },
        signal,
      );
    },
  };
}
