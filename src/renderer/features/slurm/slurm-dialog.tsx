import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import type { ClusterSetupReport } from '../../../shared/models/cluster';
import { timeLimitProblem, type SlurmJob, type SlurmJobs } from '../../../shared/models/slurm';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { useBusy } from '../../state/use-busy';
import './slurm.css';

export interface SlurmDialogProps {
  accountId: string;
  region: string;
  cluster: string;
  /** Nodes in the cluster (the most a job can ask for). */
  nodeCount: number;
  onClose: () => void;
}

const REFRESH_MS = 3_000;

function JobRow({ job, onCancel, onOutput }: { job: SlurmJob; onCancel?: () => void; onOutput: () => void }): ReactNode {
  return (
    <tr aria-label={`Job ${job.id} ${job.name}`}>
      <td className="mono">{job.id}</td>
      <td>{job.name}</td>
      <td>{job.state.toLowerCase()}</td>
      <td>{job.elapsed}</td>
      <td>{job.exitCode ?? job.where}</td>
      <td className="slurm__actions">
        <Button size="s" onClick={onOutput}>
          Output
        </Button>
        {onCancel && (
          <Button size="s" className="button--quiet-danger" onClick={onCancel} aria-label={`Cancel job ${job.id}`}>
            Cancel
          </Button>
        )}
      </td>
    </tr>
  );
}

/**
 * Slurm on a cluster (issue 16): set it up (per node), submit a job script with nodes / GPUs / time limit, the queue
 * with Cancel, finished jobs, and a job's output (with the command to follow it in a terminal).
 */
export function SlurmDialog({ accountId, region, cluster, nodeCount, onClose }: SlurmDialogProps): ReactNode {
  const ref = { accountId, region, clusterName: cluster };
  const [report, setReport] = useState<ClusterSetupReport>();
  const [jobs, setJobs] = useState<SlurmJobs>();
  const [script, setScript] = useState<{ name: string; text: string }>();
  const [nodes, setNodes] = useState('1');
  const [gpus, setGpus] = useState('0');
  const [time, setTime] = useState('');
  const [jobName, setJobName] = useState('');
  const [submitted, setSubmitted] = useState<string>();
  const [output, setOutput] = useState<{ jobId: string; path: string; text: string }>();
  const setup = useBusy();
  const submit = useBusy();
  const list = useBusy();
  const id = useId();
  const { run: load } = list;

  const refresh = useCallback(() => load(async () => setJobs(await api.clusters.slurmJobs({ accountId, region, clusterName: cluster }))), [load, accountId, region, cluster]);
  useEffect(() => subscribe.clustersProgress((r) => r.clusterName === cluster && setReport(r)), [cluster]);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const nodesProblem = /^\d+$/.test(nodes.trim()) && Number(nodes) >= 1 && Number(nodes) <= nodeCount ? undefined : `From 1 to ${nodeCount} (the cluster’s nodes).`;
  const gpusProblem = /^\d+$/.test(gpus.trim()) && Number(gpus) <= 16 ? undefined : 'A whole number of GPUs per node, 0 for none.';
  const timeProblem = timeLimitProblem(time);
  const nameProblem = jobName.trim() === '' || /^[A-Za-z0-9._-]{1,64}$/.test(jobName.trim()) ? undefined : 'Letters, digits, dots, dashes and underscores.';
  const fileName = script?.name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  const invalid = !script || nodesProblem !== undefined || gpusProblem !== undefined || timeProblem !== undefined || nameProblem !== undefined;
  const cancel = (jobId: string): void =>
    void list.run(async () => {
      await api.clusters.slurmCancel({ ...ref, jobId });
      setJobs(await api.clusters.slurmJobs(ref));
    });
  const showOutput = (jobId: string): void =>
    void list.run(async () => setOutput({ jobId, ...(await api.clusters.slurmOutput({ ...ref, jobId })) }));

  return (
    <Dialog open title={`Slurm on ${cluster}`} onClose={onClose} className="slurm-dialog" footer={<Button onClick={onClose}>Close</Button>}>
      <section className="slurm__section" aria-label="Set up Slurm">
        <p className="dialog__note">
          master runs the Slurm controller, every node runs slurmd, all from the distribution’s own packages (installed when missing), with a munge key Hangar keeps in
          your keychain. Set it up again after adding or removing a node.
        </p>
        <Button onClick={() => void setup.run(async () => setReport(await api.clusters.slurmSetUp(ref)))} disabled={setup.busy}>
          {setup.busy ? 'Setting up Slurm…' : 'Set up Slurm'}
        </Button>
        {report && (
          <ul className="slurm__nodes" aria-label="Slurm set-up">
            {report.nodes.map((n) => (
              <li key={n.instanceId} role="status" aria-label={`Slurm on ${n.name}`}>
                <strong>{n.name}</strong> {n.state}
                {n.detail ? ` · ${n.detail}` : ''}
              </li>
            ))}
          </ul>
        )}
        {setup.error && <ErrorNotice title="Slurm was not set up" error={setup.error} />}
      </section>

      <form
        className="slurm__section"
        aria-label="Submit a job"
        onSubmit={(event) => {
          event.preventDefault();
          if (invalid || !script || !fileName) return;
          void submit.run(async () => {
            const { jobId } = await api.clusters.slurmSubmit({
              ...ref,
              script: script.text,
              fileName,
              nodes: Number(nodes),
              gpusPerNode: Number(gpus),
              ...(time.trim() === '' ? {} : { timeLimit: time.trim() }),
              ...(jobName.trim() === '' ? {} : { jobName: jobName.trim() }),
            });
            setSubmitted(jobId);
            void refresh();
          });
        }}
      >
        <h3 className="slurm__title">Submit a job</h3>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-script`}>
            Job script
          </label>
          <input
            id={`${id}-script`}
            type="file"
            accept=".sh,.sbatch,.slurm,.bash,text/*"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then((text) => setScript({ name: file.name, text }));
            }}
          />
        </div>
        <div className="slurm__row">
          <Field label="Nodes" value={nodes} onChange={setNodes} error={nodesProblem} inputMode="numeric" />
          <Field label="GPUs per node" value={gpus} onChange={setGpus} error={gpusProblem} inputMode="numeric" />
          <Field label="Time limit" qualifier="optional" value={time} onChange={setTime} error={timeProblem} placeholder="90 or 1:30:00" />
          <Field label="Job name" qualifier="optional" value={jobName} onChange={setJobName} error={nameProblem} />
        </div>
        <div>
          <Button variant="primary" type="submit" disabled={invalid || submit.busy}>
            {submit.busy ? 'Submitting…' : 'Submit'}
          </Button>
        </div>
        {submitted && (
          <p className="dialog__note" role="status">
            Submitted as job {submitted}.
          </p>
        )}
        {submit.error && <ErrorNotice title="The job was not submitted" error={submit.error} />}
      </form>

      <section className="slurm__section" aria-label="Jobs">
        <h3 className="slurm__title">Queue</h3>
        {jobs?.queue.length === 0 && <p className="dialog__note">No job is waiting or running.</p>}
        {jobs !== undefined && jobs.queue.length > 0 && (
          <table className="slurm__table" aria-label="Queue">
            <tbody>
              {jobs.queue.map((j) => (
                <JobRow key={j.id} job={j} onOutput={() => showOutput(j.id)} onCancel={() => cancel(j.id)} />
              ))}
            </tbody>
          </table>
        )}
        <h3 className="slurm__title">Finished</h3>
        {jobs?.finished.length === 0 && <p className="dialog__note">No finished job that Slurm still remembers (it forgets them after a few minutes; their output files stay).</p>}
        {jobs !== undefined && jobs.finished.length > 0 && (
          <table className="slurm__table" aria-label="Finished jobs">
            <tbody>
              {jobs.finished.map((j) => (
                <JobRow key={j.id} job={j} onOutput={() => showOutput(j.id)} />
              ))}
            </tbody>
          </table>
        )}
        {list.error && <ErrorNotice title="Could not read the jobs" error={list.error} />}
        {output && (
          <div className="slurm__output">
            <p className="dialog__note">
              Output of job {output.jobId}: <span className="mono">{output.path}</span>{' '}
              <CopyButton variant="labelled" text={`tail -f ${output.path}`} label="Copy tail -f for a terminal" />
            </p>
            <pre aria-label={`Output of job ${output.jobId}`}>{output.text}</pre>
          </div>
        )}
      </section>
    </Dialog>
  );
}
