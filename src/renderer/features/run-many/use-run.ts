import { useEffect, useState } from 'react';
import type { RunInfo } from '../../../shared/models/run-many';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';

/**
 * A run followed live: states from runs.changed, output from runs.output, with the whole output fetched
 * once when the run is taken up (so nothing that arrived before is missing).
 */
export function useRun(runId: string | undefined): RunInfo | undefined {
  const [run, setRun] = useState<RunInfo>();

  useEffect(() => {
    if (runId === undefined) return;
    let live = true;
    const offChanged = subscribe.runsChanged((next) => {
      if (next.runId !== runId) return;
      // States from the event, output as gathered here.
      setRun((current) => ({ ...next, hosts: next.hosts.map((h) => ({ ...h, output: current?.hosts.find((c) => c.instanceId === h.instanceId)?.output ?? '' })) }));
    });
    const offOutput = subscribe.runsOutput((piece) => {
      if (piece.runId !== runId) return;
      setRun((current) =>
        current && { ...current, hosts: current.hosts.map((h) => (h.instanceId === piece.instanceId ? { ...h, output: `${h.output}${piece.text}`.slice(-256 * 1024) } : h)) },
      );
    });
    api.runs.get(runId).then(
      (full) => {
        if (live) setRun(full);
      },
      () => undefined,
    );
    return () => {
      live = false;
      offChanged();
      offOutput();
    };
  }, [runId]);

  return run?.runId === runId ? run : undefined;
}
