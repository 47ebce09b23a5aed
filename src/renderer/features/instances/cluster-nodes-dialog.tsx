import { useEffect, useId, useState, type ReactNode } from 'react';
import { nextNodeName, type ClusterSetupReport } from '../../../shared/models/cluster';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { useBusy } from '../../state/use-busy';

export interface ClusterNodesDialogProps {
  accountId: string;
  cluster: string;
  nodes: readonly InstanceSummary[];
  change: 'add' | 'remove';
  onClose: () => void;
}

const WORDS: Readonly<Record<string, string>> = { waiting: 'waiting', connecting: 'connecting', configuring: 'setting up', done: 'done', failed: 'failed' };

/**
 * Add node… launches one more node like master and sets every node up again; Remove node… terminates a worker
 * and sets the others up without it. Each node's set-up is shown as it goes.
 */
export function ClusterNodesDialog({ accountId, cluster, nodes, change, onClose }: ClusterNodesDialogProps): ReactNode {
  const workers = nodes.filter((n) => n.name !== 'master');
  const master = nodes.find((n) => n.name === 'master') ?? nodes[0];
  const [picked, setPicked] = useState<string>();
  const [report, setReport] = useState<ClusterSetupReport>();
  const { busy, error, run } = useBusy();
  const id = useId();
  const region = master?.region ?? '';
  const next = nextNodeName(nodes.map((n) => n.name ?? ''));
  const pickedNode = workers.find((w) => w.id === picked);

  useEffect(() => subscribe.clustersProgress((r) => r.clusterName === cluster && setReport(r)), [cluster]);

  const go = (): void =>
    void run(async () => {
      const ref = { accountId, region, clusterName: cluster };
      setReport(change === 'add' ? await api.clusters.addNode(ref) : await api.clusters.removeNode({ ...ref, instanceId: picked ?? '' }));
    });

  const failed = report?.finished ? report.nodes.filter((n) => n.state === 'failed').length : 0;
  return (
    <Dialog
      open
      title={change === 'add' ? `Add a node to ${cluster}` : `Remove a node from ${cluster}`}
      onClose={onClose}
      footer={
        report?.finished ? (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" className={change === 'remove' ? 'button--danger' : undefined} disabled={busy || (change === 'remove' && !pickedNode)} onClick={go}>
              {busy ? (change === 'add' ? 'Adding…' : 'Removing…') : change === 'add' ? `Add ${next}` : `Terminate ${pickedNode?.name ?? 'the node'} and update the others`}
            </Button>
          </>
        )
      }
    >
      {change === 'add' ? (
        <p className="dialog__note">
          {next} is launched like {master?.name ?? 'master'} ({master?.type}, same image, key pair, network, security groups and placement group) and billed like it.
          Once SSH answers on it, every node is set up again: hosts, known_hosts and ~/hostfile then include {next}.
        </p>
      ) : (
        <fieldset className="cluster-nodes__choice" aria-describedby={`${id}-note`}>
          <legend className="field__label">Which node</legend>
          {workers.map((w) => (
            <label key={w.id}>
              <input type="radio" name={`${id}-node`} checked={picked === w.id} onChange={() => setPicked(w.id)} /> {w.name ?? w.id}
            </label>
          ))}
          <p className="dialog__note" id={`${id}-note`}>
            The node is terminated: its disk and anything only on it are lost. The other nodes are set up again without it. master is not offered: it holds the
            cluster together (terminate the cluster instead).
          </p>
        </fieldset>
      )}
      {report && (
        <ul className="cluster-nodes__list" aria-label="Cluster set-up">
          {report.nodes.map((n) => (
            <li key={`${n.instanceId}-${n.name}`} role="status" aria-label={`Set-up of ${n.name}`}>
              <strong>{n.name}</strong> {WORDS[n.state] ?? n.state}
              {n.detail ? ` · ${n.detail}` : ''}
            </li>
          ))}
        </ul>
      )}
      {report?.finished && (
        <p className="dialog__note" role="status">
          {failed === 0 ? `Done: every node of ${cluster} knows the others.` : `${failed} node${failed === 1 ? '' : 's'} could not be set up; run the set-up again once it answers.`}
        </p>
      )}
      {error && <ErrorNotice title={change === 'add' ? 'Could not add the node' : 'Could not remove the node'} error={error} />}
    </Dialog>
  );
}
