import { useEffect, useRef, useState, type ReactNode } from 'react';
import { SSH_GROUP_NAME, type LaunchedInstance, type RegionScope, type SshProbe } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';

export interface LaunchedStepProps {
  scope: RegionScope;
  instances: readonly LaunchedInstance[];
  onConnect: (instance: LaunchedInstance, access?: 'session-manager') => void;
  /** Called once, when SSH answers on every launched instance (a cluster's set-up starts then). */
  onAllReady?: () => void;
  /** Launched for Session Manager (no SSH port): ready means its SSM agent is online, and Connect uses it. */
  viaSessionManager?: boolean;
}

const PROBE_EVERY_MS = 2_000;
/** Most images answer SSH within a minute or two of running; after this, the row says what to check. */
export const SSH_HINT_AFTER_MS = 120_000;

interface Followed {
  /** EC2's state, as last described (the instance list or a probe). */
  readonly state: string;
  readonly probe?: SshProbe;
  /** When EC2 was first seen to say running (this window's clock). */
  readonly runningSince?: number;
  /** How long it had been running without SSH at the last look. */
  readonly waitedMs: number;
}

/** Follows the new instances: EC2's state as soon as EC2 says it, then until SSH answers on each, then Connect. */
export function LaunchedStep({ scope, instances, onConnect, onAllReady, viaSessionManager = false }: LaunchedStepProps): ReactNode {
  const [followed, setFollowed] = useState<ReadonlyMap<string, Followed>>(new Map());
  const allReady = instances.length > 0 && instances.every((i) => followed.get(i.instanceId)?.probe?.ready === true);
  const told = useRef(false);
  useEffect(() => {
    if (allReady && !told.current) {
      told.current = true;
      onAllReady?.();
    }
  }, [allReady, onAllReady]);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ready = new Set<string>();
    const ids = new Set(instances.map((i) => i.instanceId));
    function note(instanceId: string, state: string, probe?: SshProbe): void {
      const now = Date.now();
      setFollowed((current) => {
        const was = current.get(instanceId);
        const runningSince = state === 'running' ? (was?.runningSince ?? now) : undefined;
        return new Map(current).set(instanceId, {
          state,
          waitedMs: runningSince === undefined ? 0 : now - runningSince,
          ...(probe === undefined ? (was?.probe === undefined ? {} : { probe: was.probe }) : { probe }),
          ...(runningSince === undefined ? {} : { runningSince }),
        });
      });
    }
    async function round(): Promise<void> {
      // EC2's word first, in one call: a row says running as soon as EC2 does, not once its SSH probe has timed out.
      try {
        const listed = await api.ec2.listInstances(scope.accountId, scope.region);
        if (!live) return;
        for (const instance of listed) if (ids.has(instance.id) && !ready.has(instance.id)) note(instance.id, instance.state);
      } catch {
        // The probes below describe each instance too.
      }
      await Promise.all(
        instances
          .filter((i) => !ready.has(i.instanceId))
          .map(async (i) => {
            try {
              const probe = viaSessionManager ? await agentProbe(scope, i.instanceId) : await api.launch.probeSsh({ ...scope, instanceId: i.instanceId });
              if (probe.ready) ready.add(i.instanceId);
              if (live) note(i.instanceId, probe.state, probe);
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
  }, [scope, instances, viaSessionManager]);

  return (
    <div className="launch-step">
      <p className="launch-note">
        Launched {instances.length} instance{instances.length === 1 ? '' : 's'}. They are selected in the table; Connect appears as soon as{' '}
        {viaSessionManager ? 'the SSM agent is online (a minute or two after it starts)' : 'SSH answers'}.
      </p>
      <ul className="launch-launched" aria-label="Launched instances">
        {instances.map((i) => {
          const entry = followed.get(i.instanceId);
          const state = entry?.state ?? i.state;
          const ready = entry?.probe?.ready === true;
          const waited = entry?.waitedMs ?? 0;
          return (
            <li key={i.instanceId} className="launch-launched__row">
              <span>
                <strong>{i.name}</strong> <span className="mono launch-note">{i.instanceId}</span>
              </span>
              <span className="launch-note" role="status">
                {ready
                  ? `${state} · ${viaSessionManager ? 'Session Manager is ready' : 'SSH is answering'}`
                  : state === 'running'
                    ? `running · waiting for ${viaSessionManager ? 'its SSM agent' : 'SSH'}…`
                    : `${state}…`}
              </span>
              {ready && (
                <Button size="s" variant="primary" onClick={() => onConnect(i, viaSessionManager ? 'session-manager' : undefined)} aria-label={`Connect to ${i.name}`}>
                  Connect
                </Button>
              )}
              {!ready && !viaSessionManager && state === 'running' && waited >= SSH_HINT_AFTER_MS && (
                <p className="launch-note launch-launched__hint" role="note" aria-label={`SSH on ${i.name}`}>
                  {entry?.probe !== undefined && entry.probe.host === undefined
                    ? `${i.name} has no public IP address, so SSH cannot be reached from here: launch it in a subnet that gives public IPs, or reach it through a VPN (set its address in Connection settings).`
                    : `SSH has not answered for ${Math.floor(waited / 60_000)} minutes. A large image can take a few more minutes to boot. If it still does not answer: check that a security group allows TCP port 22 from your address (${SSH_GROUP_NAME}, Update my IP), and that the key pair's private key is in Hangar (Accounts → SSH keys).`}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** "Ready" for a Session Manager launch: its agent is online (the instance's ways in say Session Manager works). */
async function agentProbe(scope: RegionScope, instanceId: string): Promise<SshProbe> {
  const [ways] = await api.access.waysIn([{ ...scope, instanceId }]);
  const online = ways?.ways.some((w) => w.way === 'session-manager' && w.available) === true;
  return { ready: online, state: online ? 'running' : 'pending' };
}
