import { describe, expect, it } from 'vitest';
import { DEBIAN_LAYOUT, gresConf, mergeFinished, parseSacct, parseScontrolJobs, parseSqueue, slurmConf } from '../../../src/main/services/cluster/slurm-config';
import { timeLimitProblem } from '../../../src/shared/models/slurm';

const nodes = [
  { name: 'master', hostname: 'ip-10-0-0-5', address: '10.0.0.5', cpus: 8, memoryMiB: 31_000, gpus: 1 },
  { name: 'node001', hostname: 'ip-10-0-0-6', address: '10.0.0.6', cpus: 8, memoryMiB: 31_000, gpus: 1 },
];

describe('slurm.conf from the nodes', () => {
  it('names the controller by master’s real hostname, each node with its CPUs, memory (5 % kept back) and GPUs', () => {
    const conf = slurmConf('lab', nodes, DEBIAN_LAYOUT);
    expect(conf).toContain('ClusterName=lab\n');
    expect(conf).toContain('SlurmctldHost=ip-10-0-0-5(10.0.0.5)\n');
    expect(conf).toContain('NodeName=node001 NodeHostname=ip-10-0-0-6 NodeAddr=10.0.0.6 CPUs=8 RealMemory=29450 Gres=gpu:1 State=UNKNOWN\n');
    expect(conf).toContain('GresTypes=gpu\n');
    expect(conf).toContain('PartitionName=main Nodes=master,node001 Default=YES MaxTime=INFINITE State=UP\n');
    expect(conf).toContain('EnforcePartLimits=ALL\n');
    expect(conf).not.toContain('AuthInfo=');
    expect(gresConf(nodes)).toContain('NodeName=master Name=gpu File=/dev/nvidia[0-0]\n');
  });

  it('a CPU-only cluster has no GRES; a custom munge socket is named', () => {
    const cpu = nodes.map((n) => ({ ...n, gpus: 0 }));
    const conf = slurmConf('lab', cpu, { ...DEBIAN_LAYOUT, mungeSocket: '/tmp/m.sock' });
    expect(conf).not.toContain('Gres');
    expect(conf).toContain('AuthInfo=socket=/tmp/m.sock\n');
  });
});

describe('what Slurm prints', () => {
  it('squeue rows in Hangar’s format', () => {
    expect(parseSqueue('12|train|RUNNING|ana|1:02|1:00:00|2|master,node001\n13|eval|PENDING|ana|0:00|30:00|1|(Resources)\n')).toEqual([
      { id: '12', name: 'train', state: 'RUNNING', user: 'ana', elapsed: '1:02', timeLimit: '1:00:00', nodes: '2', where: 'master,node001', exitCode: undefined, stdout: undefined },
      { id: '13', name: 'eval', state: 'PENDING', user: 'ana', elapsed: '0:00', timeLimit: '30:00', nodes: '1', where: '(Resources)', exitCode: undefined, stdout: undefined },
    ]);
  });

  it('scontrol show job -o lines', () => {
    const line =
      'JobId=7 JobName=hello UserId=root(0) GroupId=root(0) JobState=COMPLETED Reason=None ExitCode=0:0 RunTime=00:00:01 TimeLimit=00:05:00 NodeList=master NumNodes=1 StdOut=/home/ana/hangar-jobs/hello-7.out';
    expect(parseScontrolJobs(`${line}\n`)).toEqual([
      { id: '7', name: 'hello', state: 'COMPLETED', user: 'root', elapsed: '00:00:01', timeLimit: '00:05:00', nodes: '1', where: 'master', exitCode: '0:0', stdout: '/home/ana/hangar-jobs/hello-7.out' },
    ]);
  });

  it('sacct -X -P -n lines (accounting on): ended jobs only, "CANCELLED by uid" read as CANCELLED; merged with what the controller still knows', () => {
    const sacct = [
      '41|train|COMPLETED|ana|00:12:03|01:00:00|2|master,node001|0:0',
      '42|eval|CANCELLED by 1000|ana|00:00:09|00:30:00|1|node001|0:15',
      '43|sweep|RUNNING|ana|00:01:00|02:00:00|1|node002|0:0',
      '',
    ].join('\n');
    const finished = parseSacct(sacct);
    expect(finished.map((j) => [j.id, j.state, j.exitCode, j.where])).toEqual([
      ['41', 'COMPLETED', '0:0', 'master,node001'],
      ['42', 'CANCELLED', '0:15', 'node001'],
    ]);
    const controller = parseScontrolJobs(
      'JobId=42 JobName=eval UserId=ana(1000) JobState=CANCELLED ExitCode=0:15 RunTime=00:00:09 TimeLimit=00:30:00 NodeList=node001 NumNodes=1 StdOut=/home/ana/hangar-jobs/eval-42.out\n' +
        'JobId=44 JobName=quick UserId=ana(1000) JobState=FAILED ExitCode=1:0 RunTime=00:00:01 TimeLimit=00:05:00 NodeList=master NumNodes=1 StdOut=/home/ana/hangar-jobs/quick-44.out\n',
    );
    expect(mergeFinished(finished, controller).map((j) => [j.id, j.state, j.stdout])).toEqual([
      ['44', 'FAILED', '/home/ana/hangar-jobs/quick-44.out'],
      ['42', 'CANCELLED', '/home/ana/hangar-jobs/eval-42.out'],
      ['41', 'COMPLETED', undefined],
    ]);
  });

  it('time limits as sbatch takes them', () => {
    expect(timeLimitProblem('90')).toBeUndefined();
    expect(timeLimitProblem('1:30:00')).toBeUndefined();
    expect(timeLimitProblem('2-00:00:00')).toBeUndefined();
    expect(timeLimitProblem('')).toBeUndefined();
    expect(timeLimitProblem('1h')).toContain('minutes');
  });
});
