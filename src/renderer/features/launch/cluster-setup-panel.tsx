import { useEffect, useState, type ReactNode } from 'react';
import type { ClusterSetupReport } from '../../../shared/models/cluster';
import type { LaunchedInstance, RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';

export interface ClusterSetup {
  readonly report: ClusterSetupReport | undefined;
  readonly running: boolean;
  readonly error: Error | undefined;
  /** Runs the set-up (again); progress arrives as clusters.progress. */
  run(): void;
}

/** A cluster's set-up, run when SSH answers on every node and again on request. */
export function useClusterSetup(scope: RegionScope, clusterName: string, instances: readonly LaunchedInstance[] | undefined, shareFolder = ''): ClusterSetup {
  const [report, setReport] = useState<ClusterSetupReport>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();
  useEffect(() => subscribe.clustersProgress((next) => next.clusterName === clusterName && setReport(next)), [clusterName]);
  return {
    report,
    running,
    error,
    run() {
      if (!instances || clusterName === '') return;
      setRunning(true);
      setError(undefined);
      api.clusters
        .setUp({ clusterName, nodes: instances.map((i) => ({ ...scope, instanceId: i.instanceId, name: i.name })), ...(shareFolder === '' ? {} : { share: { folder: shareFolder } }) })
        .then(setReport, (failure: unknown) => setError(toHangarError(failure)))
        .finally(() => setRunning(false));
    },
  };
}

const STATE_WORDS: Record<string, string> = { waiting: 'waiting', connecting: 'connecting', configuring: 'setting up', done: 'done', failed: 'failed' };

/** The cluster's set-up after a cluster launch: node by node, re-runnable. */
export function ClusterSetupPanel({ clusterName, setup }: { clusterName: string; setup: ClusterSetup }): ReactNode {
  const { report, running, error } = setup;
  const failed = report?.nodes.filter((n) => n.state === 'failed').length ?? 0;
  return (
    <section className="launch-group" aria-label={`Cluster ${clusterName}`}>
      <h3 className="launch-group__title">Cluster {clusterName}</h3>
      {!report && !running && <p className="launch-note">The set-up starts when SSH answers on every node.</p>}
      {report && (
        <ul className="launch-launched" aria-label="Cluster set-up">
          {report.nodes.map((node) => (
            <li key={node.instanceId} className="launch-launched__row">
              <span>{node.name}</span>
              <span className="launch-note" role="status" aria-label={`Set-up of ${node.name}`}>
                {STATE_WORDS[node.state] ?? node.state}
                {node.detail ? ` · ${node.detail}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {report?.finished && (
        <p className={`launch-callout ${failed === 0 ? 'launch-callout--ok' : 'launch-callout--warn'}`} role="status">
          {failed === 0
            ? 'The cluster is set up: from master, ssh node001 reaches a node by name, and ~/hostfile lists every node for mpirun.'
            : `${failed} node${failed === 1 ? '' : 's'} could not be set up; the others are. Run the set-up again once ${failed === 1 ? 'it answers' : 'they answer'}.`}
        </p>
      )}
      {error && <ErrorNotice error={error} title="The cluster set-up did not run" />}
      {(report?.finished === true || error !== undefined) && (
        <div>
          <Button size="s" disabled={running} onClick={() => setup.run()}>
            {running ? 'Setting up…' : 'Set up again'}
          </Button>
        </div>
      )}
    </section>
  );
}
