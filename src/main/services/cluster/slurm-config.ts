import type { SlurmJob } from '../../../shared/models/slurm';

/** Where Slurm and munge keep their files and how their daemons start (Debian's packages by default). */
export interface SlurmLayout {
  readonly confDir: string;
  readonly mungeKey: string;
  /** munged's socket; the distribution's default when undefined. */
  readonly mungeSocket: string | undefined;
  readonly stateDir: string;
  readonly spoolDir: string;
  readonly logDir: string;
  readonly runDir: string;
  readonly ctldPort: number;
  readonly slurmdPort: number;
  /** systemd units (a real instance), or the daemons started directly (a test rig without systemd). */
  readonly start: 'systemd' | 'direct';
}

export const DEBIAN_LAYOUT: SlurmLayout = {
  confDir: '/etc/slurm',
  mungeKey: '/etc/munge/munge.key',
  mungeSocket: undefined,
  stateDir: '/var/spool/slurmctld',
  spoolDir: '/var/spool/slurmd',
  logDir: '/var/log/slurm',
  runDir: '/run',
  ctldPort: 6817,
  slurmdPort: 6818,
  start: 'systemd',
};

/** What the set-up learned of a node over SSH. */
export interface SlurmNodeFacts {
  /** master, node001, … */
  readonly name: string;
  /** `hostname -s`: slurmctld only runs where SlurmctldHost names this machine. */
  readonly hostname: string;
  readonly address: string;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly gpus: number;
}

/**
 * slurm.conf for the cluster: master runs slurmctld (and slurmd like every node); each node described with its
 * real CPUs and memory (a little kept back for the OS, as Slurm refuses a node that has less than it claims).
 * No cgroups and no accounting daemon: what a small research cluster needs, nothing that can fail to start.
 */
export function slurmConf(clusterName: string, nodes: readonly SlurmNodeFacts[], layout: SlurmLayout): string {
  const master = nodes.find((n) => n.name === 'master') ?? nodes[0];
  if (!master) throw new Error('a Slurm cluster needs at least one node');
  const gres = nodes.some((n) => n.gpus > 0);
  const lines = [
    '# Written by Hangar; set up again from Hangar to change it (edits here are replaced).',
    `ClusterName=${clusterName}`,
    `SlurmctldHost=${master.hostname}(${master.address})`,
    `SlurmctldPort=${layout.ctldPort}`,
    `SlurmdPort=${layout.slurmdPort}`,
    'AuthType=auth/munge',
    'CredType=cred/munge',
    ...(layout.mungeSocket === undefined ? [] : [`AuthInfo=socket=${layout.mungeSocket}`]),
    `StateSaveLocation=${layout.stateDir}`,
    `SlurmdSpoolDir=${layout.spoolDir}`,
    `SlurmctldPidFile=${layout.runDir}/slurmctld.pid`,
    `SlurmdPidFile=${layout.runDir}/slurmd.pid`,
    `SlurmctldLogFile=${layout.logDir}/slurmctld.log`,
    `SlurmdLogFile=${layout.logDir}/slurmd.log`,
    'SlurmUser=root',
    'SlurmdUser=root',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'ReturnToService=2',
    // A job asking for more than the cluster has is refused at sbatch, not left pending forever.
    'EnforcePartLimits=ALL',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'MpiDefault=none',
    'MailProg=/bin/true',
    ...(gres ? ['GresTypes=gpu'] : []),
    ...nodes.map(
      (n) =>
        `NodeName=${n.name} NodeHostname=${n.hostname} NodeAddr=${n.address} CPUs=${n.cpus} RealMemory=${Math.max(1, Math.floor(n.memoryMiB * 0.95))}${n.gpus > 0 ? ` Gres=gpu:${n.gpus}` : ''} State=UNKNOWN`,
    ),
    `PartitionName=main Nodes=${nodes.map((n) => n.name).join(',')} Default=YES MaxTime=INFINITE State=UP`,
  ];
  return `${lines.join('\n')}\n`;
}

/** gres.conf: each GPU node's /dev/nvidia* devices. */
export function gresConf(nodes: readonly SlurmNodeFacts[]): string {
  const lines = nodes.filter((n) => n.gpus > 0).map((n) => `NodeName=${n.name} Name=gpu File=/dev/nvidia[0-${n.gpus - 1}]`);
  return `# Written by Hangar.\n${lines.join('\n')}\n`;
}

/** The squeue format Hangar reads: fields split by '|'. */
export const SQUEUE_FORMAT = '%i|%j|%T|%u|%M|%l|%D|%R';

export function parseSqueue(text: string): SlurmJob[] {
  return text
    .split('\n')
    .filter((line) => line.includes('|'))
    .map((line) => {
      const [id = '', name = '', state = '', user = '', elapsed = '', timeLimit = '', nodes = '', where = ''] = line.split('|');
      return { id: id.trim(), name, state, user, elapsed, timeLimit, nodes, where, exitCode: undefined, stdout: undefined };
    });
}

/** `scontrol show job -o`: one job per line, Key=Value fields. */
export function parseScontrolJobs(text: string): SlurmJob[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('JobId='))
    .map((line) => {
      const fields = new Map<string, string>();
      for (const m of line.matchAll(/(\w+)=(\S*)/g)) if (!fields.has(m[1] ?? '')) fields.set(m[1] ?? '', m[2] ?? '');
      const get = (key: string): string => fields.get(key) ?? '';
      return {
        id: get('JobId'),
        name: get('JobName'),
        state: get('JobState'),
        user: get('UserId').replace(/\(\d+\)$/, ''),
        elapsed: get('RunTime'),
        timeLimit: get('TimeLimit'),
        nodes: get('NumNodes'),
        where: get('NodeList') || get('Reason'),
        exitCode: get('ExitCode') || undefined,
        stdout: get('StdOut') || undefined,
      };
    });
}

/** What `sacct -X -P -n --format=$SACCT_FORMAT` prints: one job per line (allocations only), fields split by '|'. */
export const SACCT_FORMAT = 'JobID,JobName,State,User,Elapsed,Timelimit,NNodes,NodeList,ExitCode';

/** Finished jobs from accounting (sacct), for clusters whose slurm.conf has a slurmdbd: kept for days, not minutes. */
export function parseSacct(text: string): SlurmJob[] {
  return text
    .split('\n')
    .filter((line) => line.split('|').length >= 9)
    .map((line) => {
      const [id = '', name = '', state = '', user = '', elapsed = '', timeLimit = '', nodes = '', where = '', exitCode = ''] = line.split('|');
      // "CANCELLED by 1000": the state is the first word.
      return { id: id.trim(), name, state: state.split(' ')[0] ?? state, user, elapsed, timeLimit, nodes, where, exitCode: exitCode || undefined, stdout: undefined };
    })
    .filter((job) => ENDED_STATES.has(job.state));
}

/** Accounting's finished jobs with what the controller still knows of them (their output file), newest first. */
export function mergeFinished(fromAccounting: readonly SlurmJob[], fromController: readonly SlurmJob[]): SlurmJob[] {
  const byId = new Map<string, SlurmJob>();
  for (const job of fromAccounting) byId.set(job.id, job);
  for (const job of fromController) {
    if (!ENDED_STATES.has(job.state)) continue;
    const known = byId.get(job.id);
    byId.set(job.id, known === undefined ? job : { ...known, stdout: job.stdout });
  }
  return [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id));
}

export const ENDED_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);
