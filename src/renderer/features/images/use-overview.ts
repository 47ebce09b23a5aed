import { useCallback, useEffect, useState } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { ImagesOverview } from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';

// While a snapshot or an AMI is pending its progress is read again this often; otherwise only on request.
const FOLLOW_MS = 2_000;

export interface OverviewState {
  readonly overview: ImagesOverview | undefined;
  readonly error: HangarError | undefined;
  /** A reading is under way (the last answer stays on screen meanwhile). */
  readonly loading: boolean;
  reload(): void;
}

/** Whether anything in the overview is still on its way (pending AMIs or snapshots). */
export function hasPending(overview: ImagesOverview | undefined): boolean {
  return overview !== undefined && (overview.images.some((i) => i.state === 'pending') || overview.snapshots.some((s) => s.state === 'pending'));
}

interface Answer {
  readonly key: string;
  readonly attempt: number;
  readonly overview?: ImagesOverview | undefined;
  readonly error?: HangarError | undefined;
}

/** The region's AMIs, snapshots and volumes, followed every 2 s while something is pending. */
export function useOverview(scope: RegionScope): OverviewState {
  const { accountId, region } = scope;
  const key = `${accountId}/${region}`;
  const [attempt, setAttempt] = useState(0);
  const [answer, setAnswer] = useState<Answer>();

  useEffect(() => {
    let live = true;
    api.images.overview({ accountId, region }).then(
      (overview) => live && setAnswer({ key, attempt, overview }),
      // A failed re-reading keeps what was read before (with the error beside it).
      (error: unknown) => live && setAnswer((before) => ({ key, attempt, overview: before?.key === key ? before.overview : undefined, error: toHangarError(error) })),
    );
    return () => {
      live = false;
    };
  }, [accountId, region, key, attempt]);

  const current = answer?.key === key ? answer : undefined;
  const loading = current?.attempt !== attempt;
  const pending = hasPending(current?.overview);
  useEffect(() => {
    if (!pending || loading) return;
    const timer = setTimeout(() => setAttempt((n) => n + 1), FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [pending, loading]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { overview: current?.overview, error: current?.error, loading, reload };
}
