import type { ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { provenanceLabel } from '../../../shared/models/costs';
import { PRICES_AS_OF } from '../../../shared/models/instance-prices';
import { instanceNames, launchCost, runInstancesCommandLine, SSH_GROUP_NAME, SSM_GROUP_NAME, SSM_PROFILE_NAME, type DryRunResult, type LaunchRequest, type NetworkInfo } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { CopyButton } from '../../components/copy-button';
import type { LaunchDraft } from './launch-draft';
import { formatMemory, formatPrice } from './launch-format';
import { useRemote } from './use-remote';

export interface ReviewStepProps {
  request: LaunchRequest;
  draft: LaunchDraft;
  network: NetworkInfo | undefined;
  dryRun: { status: 'running' } | { status: 'done'; result: DryRunResult } | { status: 'failed'; error: HangarError } | undefined;
  onDryRun: () => void;
  launchError: HangarError | undefined;
  /** Options shown under the summary (Stop when idle). */
  options?: ReactNode;
}

/** The spot request in words, e.g. "spot (persistent: stops when interrupted, at most $0.35/h)". */
function spotWords(request: LaunchRequest): string {
  const spot = request.spotRequest;
  const cap = spot?.maxPrice === undefined ? '' : `, at most ${formatPrice(spot.maxPrice)}`;
  return spot?.type === 'persistent' ? `spot (persistent: stops when interrupted${cap})` : `spot (one-time: ends when interrupted${cap})`;
}

/** What stopping, an interruption and terminating do to what this launch costs, true for each kind of launch. */
function afterwards(request: LaunchRequest): string {
  if (!request.spot) return 'Stopped instances cost only their volumes.';
  if (request.spotRequest?.type === 'persistent') {
    return 'Stopped instances — stopped by you or by an interruption — cost only their volumes, and AWS starts interrupted ones again when capacity returns. Terminating one from Hangar also cancels its spot request.';
  }
  const disk = request.deleteOnTermination ? 'its root volume and everything on it are deleted' : 'its root volume is kept (and keeps costing)';
  return `A one-time spot instance cannot be stopped: an interruption or a terminate ends it, and ${disk}.`;
}

/** Everything on one page, the cost for N, the CLI line for learning, and the DryRun's verdict. */
export function ReviewStep({ request, draft, network, dryRun, onDryRun, launchError, options }: ReviewStepProps): ReactNode {
  const type = draft.type;
  const image = draft.image;
  const spot = useRemote(draft.spot ? `${request.region}/${request.instanceType}` : undefined, () =>
    api.launch.spotPrice({ accountId: request.accountId, region: request.region }, request.instanceType),
  );
  const hourly = draft.spot ? spot.value?.price : type?.pricePerHour;
  const cost = launchCost(hourly, request.count);
  const groups = (network?.securityGroups ?? []).filter((g) => request.securityGroupIds.includes(g.groupId));
  const subnet = network?.subnets.find((s) => s.subnetId === request.subnetId);
  const names = instanceNames(request.name, request.count, request.cluster !== undefined);
  const sshAllowed = groups.some((g) => g.sshSources.length > 0);

  return (
    <div className="launch-step">
      <dl className="launch-summary">
        <dt>Image</dt>
        <dd>
          {image?.presetLabel ?? image?.name} <span className="mono launch-note">{request.imageId}</span> ({image?.architecture}, login user{' '}
          <span className="mono">{image?.user}</span>)
        </dd>
        <dt>Type</dt>
        <dd>
          <span className="mono">{request.instanceType}</span> — {type?.vcpus} vCPU, {type ? formatMemory(type.memoryMiB) : ''}
          {type && type.gpus > 0 ? `, ${type.gpus} × ${type.gpuModel ?? 'GPU'}` : ''}
          {draft.spot ? `, ${spotWords(request)}` : ''}
        </dd>
        <dt>Instances</dt>
        <dd>
          {request.count} — {names.join(', ')}
        </dd>
        <dt>Key pair</dt>
        <dd>
          {draft.keyPair ? (
            <>
              {draft.keyPair.keyName} {draft.keyPair.localKeyId !== undefined ? '(key in Hangar)' : <strong>(Hangar does not hold this key: SSH will need it)</strong>}
            </>
          ) : request.sessionManager ? (
            'None — Session Manager needs no key'
          ) : (
            <strong>None — you will not be able to log in over SSH</strong>
          )}
        </dd>
        <dt>Network</dt>
        <dd>
          {request.subnetId === undefined ? 'Default subnet (AWS picks the zone)' : `${subnet?.availabilityZone ?? ''} ${request.subnetId}`};{' '}
          {request.sessionManager
            ? `Session Manager only: ${SSM_GROUP_NAME} with no inbound rules, and the instance profile ${SSM_PROFILE_NAME}${request.sessionManager.createRole ? ' (its IAM role created first, as you agreed)' : ''}`
            : groups.length === 0
              ? 'the VPC’s default security group'
              : groups.map((g) => `${g.groupName} (SSH from ${g.sshSources.join(', ') || 'nowhere'})`).join(', ')}
        </dd>
        <dt>Storage</dt>
        <dd>
          {request.rootSizeGiB} GiB {request.rootVolumeType} on {request.rootDeviceName}, {request.deleteOnTermination ? 'deleted' : 'kept'} when terminated
        </dd>
        <dt>Tags</dt>
        <dd>{['Name', 'hangar:created-by=Hangar', ...request.tags.map((t) => `${t.key}=${t.value}`)].join(', ')}</dd>
        {request.userData !== undefined && (
          <>
            <dt>User data</dt>
            <dd>{request.userData.split('\n').length} lines</dd>
          </>
        )}
      </dl>
      {options}

      {!sshAllowed && !request.sessionManager && (
        <p className="launch-callout launch-callout--warn" role="note" aria-label="SSH will not answer">
          {groups.length === 0
            ? 'No security group is chosen, so AWS uses the VPC’s default security group, which normally lets no SSH in from outside.'
            : 'None of the chosen security groups allows SSH (TCP port 22) from anywhere.'}{' '}
          SSH will not answer and Hangar cannot connect. Go back to Network and choose {SSH_GROUP_NAME} (or create it for your IP).
        </p>
      )}

      <div className="launch-cost" role="group" aria-label="Estimated cost">
        {cost ? (
          <>
            <span className="launch-cost__figure">{formatPrice(cost.hour)}</span>
            <span className="launch-cost__figure">{formatPrice(cost.day, 'day')}</span>
            <span className="launch-note">
              for {request.count} × {request.instanceType}
              {draft.spot
                ? ' at the current spot price'
                : type?.priceSource?.source === 'price-list'
                  ? `, on-demand (${provenanceLabel(type.priceSource)})`
                  : `, approximate on-demand (bundled, as of ${PRICES_AS_OF})`}, plus storage. {afterwards(request)}
            </span>
          </>
        ) : (
          <span className="launch-note">The price of {request.instanceType} here is not known to Hangar; check the EC2 pricing page.</span>
        )}
      </div>

      <details className="launch-cli">
        <summary>The same launch with the AWS CLI</summary>
        <div className="launch-inline">
          <pre className="launch-cli__text" aria-label="AWS CLI command">
            {runInstancesCommandLine(request)}
          </pre>
          <CopyButton text={runInstancesCommandLine(request)} what="command" />
        </div>
      </details>

      <div className="launch-dryrun" aria-live="polite">
        {dryRun === undefined || dryRun.status === 'running' ? (
          <p className="busy-line" role="status">
            <span className="spinner" aria-hidden="true" /> Checking permissions with a dry run…
          </p>
        ) : dryRun.status === 'failed' ? (
          <ErrorNotice error={dryRun.error} title="The dry run found a problem" onRetry={onDryRun} />
        ) : dryRun.result.ok ? (
          <p className="launch-callout launch-callout--ok" role="status">
            Dry run passed: {dryRun.result.message}
          </p>
        ) : (
          <div className="launch-callout launch-callout--warn" role="alert">
            <p>Dry run: permission missing. {dryRun.result.message}</p>
            <ul>
              {dryRun.result.missing.map((action) => (
                <li key={action} className="mono">
                  {action}
                </li>
              ))}
            </ul>
            <Button size="s" onClick={onDryRun}>
              Check again
            </Button>
          </div>
        )}
      </div>
      {launchError && <ErrorNotice error={launchError} title="The launch failed" />}
    </div>
  );
}
