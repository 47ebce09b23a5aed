import { useEffect, useState, type ReactNode } from 'react';
import type { LaunchedInstance, RegionScope, SshProbe } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';

export interface LaunchedStepProps {
  scope: RegionScope;
  instances: readonly LaunchedInstance[];
  onConnect: (instance: LaunchedInstance) => void;
}

const PROBE_EVERY_MS = 2_000;

/** Follows the new instances until SSH answers on each, then offers Connect. */
export function LaunchedStep({ scope, instances, onConnect }: LaunchedStepProps): ReactNode {
  const [probes, setProbes] = useState<ReadonlyMap<string, SshProbe>>(new Map());

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ready = new Set<string>();
    async function round(): Promise<void> {
      await Promise.all(
        instances
          .filter((i) => !ready.has(i.instanceId))
          .map(async (i) => {
            try {
              const probe = await api.launch.probeSsh({ ...scope, instanceId: i.instanceId });
              if (probe.ready) ready.add(i.instanceId);
              if (live) setProbes((current) => new Map(current).set(i.instanceId, probe));
            } catch {
              // A failed probe is only "not yet"; the next round asks again.
            }
          }),
      );
      if (live && ready.size < instances.length) timer = setTimeout(() => void round(), PROBE_EVERY_MS);
    }
    void round();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [scope, instances]);

  return (
    <div className="launch-step">
      <p className="launch-note">
        Launched {instances.length} instance{instances.length === 1 ? '' : 's'}. They are selected in the table; Connect appears as soon as SSH answers.
      </p>
      <ul className="launch-launched" aria-label="Launched instances">
        {instances.map((i) => {
          const probe = probes.get(i.instanceId);
          const state = probe?.state ?? i.state;
          return (
            <li key={i.instanceId} className="launch-launched__row">
              <span>
                <strong>{i.name}</strong> <span className="mono launch-note">{i.instanceId}</span>
              </span>
              <span className="launch-note" role="status">
                {probe?.ready ? `${state} · SSH is answering` : state === 'running' ? 'running · waiting for SSH…' : `${state}…`}
              </span>
              {probe?.ready && (
                <Button size="s" variant="primary" onClick={() => onConnect(i)} aria-label={`Connect to ${i.name}`}>
                  Connect
                </Button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
