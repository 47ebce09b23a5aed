import {
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  ReleaseAddressCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import type { CleanupItem, CleanupResult } from '../../../shared/models/costs';
import type { InstanceActionInput, InstanceStateChange } from '../../../shared/models/instance-actions';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { awsCodeOf, awsMessageOf } from '../aws/aws-error-fields';
import { throwIfAborted } from '../aws/call-aws';
import { withAccountHint } from './account-hint';
import { explainCleanupError, missingPermission } from './cleanup-errors';
import { withBackoff } from './with-backoff';

// Deletions at once across a batch: quick for a long selection, gentle on EC2's per-region rate limits.
const CONCURRENCY = 8;

export interface CleanupOptions {
  /** Only the dry run: which items would be allowed (nothing is changed). */
  dryRunOnly?: boolean;
  signal?: AbortSignal;
  /** Each item's result as soon as it is known. */
  onResult?(result: CleanupResult): void;
}

export type Cleanup = (items: readonly CleanupItem[], options?: CleanupOptions) => Promise<CleanupResult[]>;

export interface CleanupDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /** Stop / terminate through the EC2 service (termination protection, refusal explanations, state listeners). */
  act(input: InstanceActionInput, signal?: AbortSignal): Promise<InstanceStateChange[]>;
  accountFor(accountId: string): Promise<AccountSummary | undefined>;
}

type DryRunAnswer = { allowed: true } | { allowed: false; action: string; cause: unknown };

/** Sends `run(true)` as a dry run: DryRunOperation means allowed; only a permission refusal counts as "no". */
async function dryRun(action: string, run: () => Promise<unknown>): Promise<DryRunAnswer> {
  try {
    await run();
    return { allowed: true };
  } catch (error) {
    const code = awsCodeOf(error);
    if (code === 'DryRunOperation') return { allowed: true };
    if (code === 'UnauthorizedOperation' || code === 'AccessDenied') {
      const named = /not authorized to perform: (\S+?)(?: on resource|\s|$)/.exec(awsMessageOf(error))?.[1];
      return { allowed: false, action: named ?? action, cause: error };
    }
    if (isCancelled(error)) throw error;
    // Anything else (the resource is in use, gone, …) is the real call's to explain, item by item.
    return { allowed: true };
  }
}

async function snapshotsOf(client: EC2Client, imageId: string, signal: AbortSignal | undefined): Promise<string[]> {
  try {
    const out = await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }), { abortSignal: signal });
    return (out.Images?.[0]?.BlockDeviceMappings ?? []).flatMap((b) => (b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : []));
  } catch (error) {
    if (isCancelled(error) || signal?.aborted) throw error;
    return [];
  }
}

/** The dry run of one group (same account, region and action), asked with its first item. */
async function checkGroup(client: EC2Client, first: CleanupItem, signal: AbortSignal | undefined): Promise<DryRunAnswer> {
  const opts = { abortSignal: signal };
  const id = first.id;
  switch (first.action) {
    case 'delete-volume':
      return dryRun('ec2:DeleteVolume', () => client.send(new DeleteVolumeCommand({ VolumeId: id, DryRun: true }), opts));
    case 'delete-snapshot':
      return dryRun('ec2:DeleteSnapshot', () => client.send(new DeleteSnapshotCommand({ SnapshotId: id, DryRun: true }), opts));
    case 'release-address':
      return dryRun('ec2:ReleaseAddress', () => client.send(new ReleaseAddressCommand({ AllocationId: id, DryRun: true }), opts));
    case 'stop-instance':
      return dryRun('ec2:StopInstances', () => client.send(new StopInstancesCommand({ InstanceIds: [id], DryRun: true }), opts));
    case 'terminate-instance':
      return dryRun('ec2:TerminateInstances', () => client.send(new TerminateInstancesCommand({ InstanceIds: [id], DryRun: true }), opts));
    case 'deregister-image': {
      const deregister = await dryRun('ec2:DeregisterImage', () => client.send(new DeregisterImageCommand({ ImageId: id, DryRun: true }), opts));
      if (!deregister.allowed) return deregister;
      // Half a cleanup (the AMI gone, its snapshots still billing) is worse than none: both must be allowed.
      const [snapshot] = await snapshotsOf(client, id, signal);
      if (snapshot === undefined) return deregister;
      return dryRun('ec2:DeleteSnapshot', () => client.send(new DeleteSnapshotCommand({ SnapshotId: snapshot, DryRun: true }), opts));
    }
  }
}

const GONE = /\.NotFound$/;

/** Deregisters the AMI and deletes the snapshots behind it in one step; says which snapshots stayed, and why. */
async function deregisterWithSnapshots(client: EC2Client, item: CleanupItem, signal: AbortSignal | undefined): Promise<Pick<CleanupResult, 'status' | 'note' | 'error'>> {
  const opts = { abortSignal: signal };
  const snapshots = await snapshotsOf(client, item.id, signal);
  const out = await client.send(new DeregisterImageCommand({ ImageId: item.id, DeleteAssociatedSnapshots: true }), opts);
  let results = (out.DeleteSnapshotResults ?? []).map((r) => ({ id: r.SnapshotId ?? '', code: r.ReturnCode ?? 'client-error' }));
  if (out.DeleteSnapshotResults === undefined) {
    // A region or endpoint that ignores DeleteAssociatedSnapshots: delete them one by one.
    results = [];
    for (const id of snapshots) {
      try {
        await client.send(new DeleteSnapshotCommand({ SnapshotId: id }), opts);
        results.push({ id, code: 'success' });
      } catch (error) {
        if (isCancelled(error) || signal?.aborted) throw error;
        results.push({ id, code: awsCodeOf(error) === 'UnauthorizedOperation' ? 'missing-permissions' : GONE.test(awsCodeOf(error)) ? 'success' : 'client-error' });
      }
    }
  }
  const deleted = results.filter((r) => r.code === 'success').map((r) => r.id);
  const kept = results.filter((r) => r.code !== 'success');
  const note = deleted.length === 0 ? 'It had no snapshots to delete.' : `Deleted its snapshot${deleted.length === 1 ? '' : 's'} ${deleted.join(', ')}.`;
  if (kept.length === 0) return { status: 'done', note };
  const why = kept.map((k) => `${k.id} (${k.code === 'skipped' ? 'another AMI still uses it' : k.code === 'missing-permissions' ? 'not allowed to call ec2:DeleteSnapshot' : 'AWS refused'})`).join(', ');
  return {
    status: 'partial',
    note,
    error: new HangarError({
      code: kept.some((k) => k.code === 'missing-permissions') ? 'AWS_UNAUTHORIZED' : 'AWS_RESOURCE_IN_USE',
      message: `AMI ${item.name ?? item.id} was deregistered, but ${kept.length === 1 ? 'one snapshot was' : `${kept.length} snapshots were`} kept: ${why}. They still bill.`,
      hint: 'They are listed as snapshots after a refresh; delete them there once nothing uses them (or once ec2:DeleteSnapshot is allowed).',
      details: { imageId: item.id, keptSnapshots: kept.map((k) => k.id).join(', ') },
    }).toJSON(),
  };
}

async function runItem(deps: CleanupDeps, client: EC2Client, item: CleanupItem, signal: AbortSignal | undefined): Promise<Pick<CleanupResult, 'status' | 'note' | 'error'>> {
  const opts = { abortSignal: signal };
  switch (item.action) {
    case 'delete-volume':
      await client.send(new DeleteVolumeCommand({ VolumeId: item.id }), opts);
      return { status: 'done' };
    case 'delete-snapshot':
      await client.send(new DeleteSnapshotCommand({ SnapshotId: item.id }), opts);
      return { status: 'done' };
    case 'release-address':
      await client.send(new ReleaseAddressCommand({ AllocationId: item.id }), opts);
      return { status: 'done' };
    case 'deregister-image':
      return deregisterWithSnapshots(client, item, signal);
    case 'stop-instance':
    case 'terminate-instance':
      await deps.act({ accountId: item.accountId, region: item.region, instanceIds: [item.id], action: item.action === 'stop-instance' ? 'stop' : 'terminate' }, signal);
      return { status: 'done' };
  }
}

/**
 * Cleanup of ledger rows, item by item: first one dry run per (account, region, action) names a missing
 * permission before anything changes (those items fail with it, the rest go ahead); then each item is
 * done on its own and the batch goes on past a failure, each failure with its reason and fix.
 */
export function createCleanup(deps: CleanupDeps): Cleanup {
  return async (items, options = {}) => {
    const { signal } = options;
    throwIfAborted(signal);
    const groups = new Map<string, CleanupItem[]>();
    for (const item of items) {
      const key = `${item.accountId}\n${item.region}\n${item.action}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const verdicts = new Map<string, DryRunAnswer>();
    await Promise.all(
      [...groups].map(async ([key, group]) => {
        const first = group[0] as CleanupItem;
        const client = deps.clientsFor(first.accountId).ec2(first.region);
        verdicts.set(key, await withBackoff(() => checkGroup(client, first, signal), { signal }));
      }),
    );
    throwIfAborted(signal);

    const results = new Array<CleanupResult>(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const index = next++;
        const item = items[index] as CleanupItem;
        const verdict = verdicts.get(`${item.accountId}\n${item.region}\n${item.action}`) ?? { allowed: true };
        let result: CleanupResult;
        if (!verdict.allowed) {
          result = { item, status: 'failed', error: missingPermission(item, verdict.action, verdict.cause).toJSON() };
        } else if (options.dryRunOnly) {
          result = { item, status: 'allowed' };
        } else {
          const client = deps.clientsFor(item.accountId).ec2(item.region);
          // Explained inside the retry loop, so that throttling (AWS_THROTTLED) is recognised and waited out.
          const attempt = async (): Promise<Pick<CleanupResult, 'status' | 'note' | 'error'>> => {
            try {
              return await runItem(deps, client, item, signal);
            } catch (error) {
              throw await explainCleanupError(error, item, client);
            }
          };
          try {
            result = { item, ...(await withBackoff(attempt, { signal })) };
          } catch (error) {
            if (signal?.aborted || isCancelled(error)) throw error;
            const explained = error instanceof HangarError ? error : await explainCleanupError(error, item, client);
            if (/NotFound$/.test(String(explained.details?.awsCode ?? ''))) {
              result = { item, status: 'done', note: 'It was already gone.' };
            } else {
              result = { item, status: 'failed', error: withAccountHint(explained, await deps.accountFor(item.accountId)).toJSON() };
            }
          }
        }
        results[index] = result;
        options.onResult?.(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
    return results;
  };
}
