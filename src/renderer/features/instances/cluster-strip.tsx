import type { ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { Button } from '../../components/button';
import { formatPrice } from './format';
import type { InstanceTypes } from './use-instance-types';

export interface ClusterStripProps {
  instances: readonly InstanceSummary[];
  types: InstanceTypes;
  /** Selects the cluster's nodes in the table (its actions then apply to all of them). */
  onSelect: (nodes: readonly InstanceSummary[]) => void;
  /** Terminate the whole cluster (its name typed to confirm). */
  onTerminate: (cluster: string, nodes: readonly InstanceSummary[]) => void;
  /** Start or stop every node (the usual action dialog, for these nodes). */
  onAction?: (action: 'start' | 'stop', nodes: readonly InstanceSummary[]) => void;
  /** Add node… / Remove node… (a dialog of their own). */
  onNodes?: (cluster: string, nodes: readonly InstanceSummary[], change: 'add' | 'remove') => void;
  /** Slurm… for the cluster. */
  onSlurm?: (cluster: string, nodes: readonly InstanceSummary[]) => void;
  /** Clusters whose nodes the table leaves out (the line here stands for them). */
  collapsed?: ReadonlySet<string>;
  onToggle?: (cluster: string) => void;
}

const ORDER = ['running', 'pending', 'stopping', 'stopped', 'shutting-down'] as const;

/**
 * The clusters among the instances shown (issue 16), each as one thing: its nodes, their states, what all of
 * them cost per hour; Select puts every node in the selection (Start, Stop, Run command…, Terminals side by
 * side, Upload to all), Terminate cluster… asks for the cluster's name.
 */
export function ClusterStrip({ instances, types, onSelect, onTerminate, onAction, onNodes, onSlurm, collapsed, onToggle }: ClusterStripProps): ReactNode {
  const clusters = new Map<string, InstanceSummary[]>();
  for (const instance of instances) {
    if (instance.cluster === undefined || instance.state === 'terminated') continue;
    clusters.set(instance.cluster, [...(clusters.get(instance.cluster) ?? []), instance]);
  }
  if (clusters.size === 0) return null;
  return (
    <ul className="cluster-strip" aria-label="Clusters">
      {[...clusters].map(([name, nodes]) => {
        const states = ORDER.map((state) => [state, nodes.filter((n) => n.state === state).length] as const).filter(([, n]) => n > 0);
        const running = nodes.filter((n) => n.state === 'running' || n.state === 'pending');
        const prices = running.map((n) => types.info(n.region, n.type)?.pricePerHour);
        const known = prices.every((p) => p !== undefined);
        const perHour = prices.reduce<number>((sum, p) => sum + (p ?? 0), 0);
        return (
          <li key={name} className="cluster-strip__item" aria-label={`Cluster ${name}`}>
            {onToggle && (
              <button
                type="button"
                className="cluster-strip__toggle"
                aria-expanded={!(collapsed?.has(name) ?? false)}
                aria-label={`Show the nodes of ${name} in the table`}
                title={collapsed?.has(name) ? 'Show its nodes in the table' : 'Fold its nodes into this line'}
                onClick={() => onToggle(name)}
              >
                {collapsed?.has(name) ? '▸' : '▾'}
              </button>
            )}
            <strong>{name}</strong>
            <span>
              {nodes.length} node{nodes.length === 1 ? '' : 's'} · {states.map(([state, n]) => `${n} ${state}`).join(', ')}
            </span>
            <span title="On-demand price of the running nodes together">{running.length === 0 ? '$0/h now' : known ? `${formatPrice(perHour)} for all` : 'price unknown'}</span>
            <Button size="s" onClick={() => onSelect(nodes)} aria-label={`Select the nodes of ${name}`}>
              Select nodes
            </Button>
            {onAction && (
              <>
                <Button size="s" disabled={!nodes.some((n) => n.state === 'stopped')} onClick={() => onAction('start', nodes)} aria-label={`Start cluster ${name}`}>
                  Start
                </Button>
                <Button size="s" disabled={!nodes.some((n) => n.state === 'running')} onClick={() => onAction('stop', nodes)} aria-label={`Stop cluster ${name}`}>
                  Stop
                </Button>
              </>
            )}
            {onNodes && (
              <>
                <Button size="s" onClick={() => onNodes(name, nodes, 'add')} aria-label={`Add a node to ${name}`}>
                  Add node…
                </Button>
                <Button size="s" disabled={nodes.filter((n) => n.name !== 'master').length === 0} onClick={() => onNodes(name, nodes, 'remove')} aria-label={`Remove a node from ${name}`}>
                  Remove node…
                </Button>
              </>
            )}
            {onSlurm && (
              <Button size="s" onClick={() => onSlurm(name, nodes)} aria-label={`Slurm on ${name}`}>
                Slurm…
              </Button>
            )}
            <Button size="s" className="button--quiet-danger" onClick={() => onTerminate(name, nodes)} aria-label={`Terminate cluster ${name}`}>
              Terminate cluster…
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
