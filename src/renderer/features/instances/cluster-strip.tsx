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
}

const ORDER = ['running', 'pending', 'stopping', 'stopped', 'shutting-down'] as const;

/**
 * The clusters among the instances shown (issue 16), each as one thing: its nodes, their states, what all of
 * them cost per hour; Select puts every node in the selection (Start, Stop, Run command…, Terminals side by
 * side, Upload to all), Terminate cluster… asks for the cluster's name.
 */
export function ClusterStrip({ instances, types, onSelect, onTerminate }: ClusterStripProps): ReactNode {
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
            <strong>{name}</strong>
            <span>
              {nodes.length} node{nodes.length === 1 ? '' : 's'} · {states.map(([state, n]) => `${n} ${state}`).join(', ')}
            </span>
            <span title="On-demand price of the running nodes together">{running.length === 0 ? '$0/h now' : known ? `${formatPrice(perHour)} for all` : 'price unknown'}</span>
            <Button size="s" onClick={() => onSelect(nodes)} aria-label={`Select the nodes of ${name}`}>
              Select nodes
            </Button>
            <Button size="s" className="button--quiet-danger" onClick={() => onTerminate(name, nodes)} aria-label={`Terminate cluster ${name}`}>
              Terminate cluster…
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
