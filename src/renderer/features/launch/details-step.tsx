import type { ReactNode } from 'react';
import { instanceNames, type LaunchImage, type LaunchTypeOption, type RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { Field, SelectField } from '../../components/field';
import { parseMaxPrice, type LaunchDraft, type VolumeType } from './launch-draft';
import { clusterNameSchema, PLACEMENT_EXPLAINED, placementStrategy } from '../../../shared/models/cluster';
import { formatPrice } from './launch-format';
import { useRemote } from './use-remote';

export interface DetailsStepProps {
  scope: RegionScope;
  image: LaunchImage;
  type: LaunchTypeOption;
  draft: LaunchDraft;
  onChange: (patch: Partial<LaunchDraft>) => void;
}

export function detailsProblems(draft: LaunchDraft, image: LaunchImage): { name?: string; count?: string; size?: string; maxPrice?: string; cluster?: string; share?: string } {
  const problems: { name?: string; count?: string; size?: string; maxPrice?: string; cluster?: string; share?: string } = {};
  if (draft.cluster && draft.count > 1) {
    const parsed = clusterNameSchema.safeParse(draft.clusterName.trim());
    if (!parsed.success) problems.cluster = parsed.error.issues[0]?.message ?? 'Not a valid cluster name.';
    if (draft.clusterShare !== '' && !/^(\/[A-Za-z0-9._-]+)+$/.test(draft.clusterShare.trim())) problems.share = 'An absolute folder such as /home or /shared.';
  }
  if (draft.name.trim() === '') problems.name = 'Give the instances a name.';
  if (!Number.isInteger(draft.count) || draft.count < 1 || draft.count > 20) problems.count = 'From 1 to 20 instances at a time.';
  if (!Number.isInteger(draft.rootSizeGiB) || draft.rootSizeGiB < image.rootSizeGiB || draft.rootSizeGiB > 16_384) {
    problems.size = `At least ${image.rootSizeGiB} GiB (the image’s size), at most 16384.`;
  }
  if (draft.spot && draft.spotMaxPrice.trim() !== '' && parseMaxPrice(draft.spotMaxPrice) === undefined) {
    problems.maxPrice = 'A price in dollars per hour above $0.001 (at most $1000), or empty.';
  }
  return problems;
}

function SpotPrice({ scope, type }: { scope: RegionScope; type: LaunchTypeOption }): ReactNode {
  const spot = useRemote(`${scope.accountId}/${scope.region}/${type.instanceType}`, () => api.launch.spotPrice(scope, type.instanceType));
  if (spot.status === 'loading') return <span className="launch-note">Reading the spot price…</span>;
  if (spot.status === 'failed') return <span className="launch-note">Spot price unavailable: {spot.error.message}</span>;
  if (!spot.value) return <span className="launch-note">No spot price for {type.instanceType} here.</span>;
  return (
    <span className="launch-note">
      Now {formatPrice(spot.value.price)} in {spot.value.availabilityZone} (on-demand {formatPrice(type.pricePerHour)}). AWS may take a spot instance back with
      two minutes’ notice.
    </span>
  );
}

/** Storage, count and names, tags, user data, spot. */
export function DetailsStep({ scope, image, type, draft, onChange }: DetailsStepProps): ReactNode {
  const problems = detailsProblems(draft, image);
  const asCluster = draft.cluster && draft.count > 1;
  const names = instanceNames(draft.name.trim() || 'name', Math.max(1, Math.min(20, draft.count || 1)), asCluster);
  return (
    <div className="launch-step">
      <div className="launch-columns">
        <Field
          label="Name"
          value={draft.name}
          onChange={(name) => onChange({ name })}
          error={problems.name}
          description={draft.count > 1 ? `Named ${names[0] ?? ''} … ${names[names.length - 1] ?? ''}` : 'The Name tag'}
          autoFocus
        />
        <Field
          label="Number of instances"
          value={String(draft.count)}
          inputMode="numeric"
          onChange={(value) => onChange({ count: Number(value.replace(/\D/g, '')) })}
          error={problems.count}
        />
      </div>
      <div className="launch-columns">
        <Field
          label="Root volume size (GiB)"
          value={String(draft.rootSizeGiB)}
          inputMode="numeric"
          onChange={(value) => onChange({ rootSizeGiB: Number(value.replace(/\D/g, '')) })}
          error={problems.size}
          description={`${image.rootDeviceName}; the image needs at least ${image.rootSizeGiB} GiB`}
        />
        <SelectField label="Volume type" value={draft.rootVolumeType} onChange={(value) => onChange({ rootVolumeType: value as VolumeType })}>
          <option value="gp3">gp3 (general purpose SSD, recommended)</option>
          <option value="gp2">gp2 (older general purpose SSD)</option>
          <option value="io2">io2 (provisioned IOPS SSD)</option>
          <option value="st1">st1 (throughput HDD)</option>
        </SelectField>
      </div>
      <label className="launch-check">
        <input type="checkbox" checked={draft.deleteOnTermination} onChange={(event) => onChange({ deleteOnTermination: event.target.checked })} /> Delete the root volume when the
        instance is terminated
      </label>
      {!draft.deleteOnTermination && (
        <p className="launch-callout launch-callout--warn" role="note">
          The volume will stay (and keep costing money) after the instance is gone.
        </p>
      )}
      {draft.count > 1 && (
        <fieldset className="launch-group">
          <legend className="launch-group__title">Cluster</legend>
          <label className="launch-check">
            <input type="checkbox" checked={draft.cluster} onChange={(event) => onChange({ cluster: event.target.checked })} /> Make these a cluster
          </label>
          {draft.cluster && (
            <>
              <Field
                label="Cluster name"
                value={draft.clusterName}
                onChange={(clusterName) => onChange({ clusterName })}
                error={problems.cluster}
                placeholder="mpi-lab"
                description={`Nodes named ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}; every resource tagged hangar:cluster=${draft.clusterName.trim() || 'name'}.`}
              />
              <p className="launch-note">{PLACEMENT_EXPLAINED[placementStrategy(type.instanceType, draft.count)]}</p>
              <p className="launch-note">
                A security group lets the nodes reach each other on every port; SSH from your IP comes from the group chosen under Network. Once SSH answers on
                all nodes, Hangar sets them up: hosts entries, a cluster key so the nodes reach each other by name without a password (host keys checked), and
                ~/hostfile for MPI.
              </p>
              <label className="launch-check">
                <input type="checkbox" checked={draft.clusterShare !== ''} onChange={(event) => onChange({ clusterShare: event.target.checked ? '/home' : '' })} /> Share a
                folder of master with every node over NFS
              </label>
              {draft.clusterShare !== '' && (
                <Field
                  label="Shared folder"
                  value={draft.clusterShare}
                  onChange={(clusterShare) => onChange({ clusterShare })}
                  error={problems.share}
                  description="Exported by master to the nodes only, mounted at the same path on each (fstab with nofail); nfs-kernel-server / nfs-utils are installed when missing."
                />
              )}
            </>
          )}
        </fieldset>
      )}
      <label className="launch-check">
        <input type="checkbox" checked={draft.spot} onChange={(event) => onChange({ spot: event.target.checked })} /> Spot instance (cheaper, can be interrupted)
      </label>
      {draft.spot && (
        <div className="launch-spot">
          <SpotPrice scope={scope} type={type} />
          <fieldset className="launch-group">
            <legend className="launch-group__title">When AWS needs the capacity back</legend>
            <label className="launch-check">
              <input type="radio" name="spot-kind" checked={draft.spotKind === 'persistent'} onChange={() => onChange({ spotKind: 'persistent' })} /> Stop the
              instance (persistent request)
            </label>
            <p className="launch-note">
              AWS stops it and starts it again when capacity returns; its disk is kept, and while stopped it costs only its volumes. You can stop and start it
              yourself too. Terminating it from Hangar also cancels its spot request, so AWS does not launch a replacement.
            </p>
            <label className="launch-check">
              <input type="radio" name="spot-kind" checked={draft.spotKind === 'one-time'} onChange={() => onChange({ spotKind: 'one-time' })} /> Terminate the
              instance (one-time request)
            </label>
            <p className="launch-note">
              An interruption ends it for good: the instance is terminated
              {draft.deleteOnTermination ? ', its root volume and everything on it are deleted' : ' and its root volume is kept (and keeps costing)'}, and its public
              IP is released. A one-time spot instance cannot be stopped, only terminated.
            </p>
          </fieldset>
          <Field
            label="Maximum price per hour (USD)"
            qualifier="optional"
            value={draft.spotMaxPrice}
            inputMode="decimal"
            placeholder="current spot price"
            onChange={(spotMaxPrice) => onChange({ spotMaxPrice })}
            error={problems.maxPrice}
            description="Empty: you pay the current spot price, never more than on-demand. A maximum below it means more interruptions, or no launch at all."
          />
        </div>
      )}

      <fieldset className="launch-group">
        <legend className="launch-group__title">Tags</legend>
        <p className="launch-note">Name and hangar:created-by are added to the instances and their volumes automatically.</p>
        {draft.tags.map((tag, index) => (
          <div className="launch-inline" key={index}>
            <input
              className="field__input"
              aria-label={`Tag ${index + 1} key`}
              placeholder="Key"
              value={tag.key}
              onChange={(event) => onChange({ tags: draft.tags.map((t, i) => (i === index ? { ...t, key: event.target.value } : t)) })}
            />
            <input
              className="field__input"
              aria-label={`Tag ${index + 1} value`}
              placeholder="Value"
              value={tag.value}
              onChange={(event) => onChange({ tags: draft.tags.map((t, i) => (i === index ? { ...t, value: event.target.value } : t)) })}
            />
            <Button size="s" variant="ghost" onClick={() => onChange({ tags: draft.tags.filter((_, i) => i !== index) })} aria-label={`Remove tag ${index + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button size="s" onClick={() => onChange({ tags: [...draft.tags, { key: '', value: '' }] })}>
            Add tag
          </Button>
        </div>
      </fieldset>

      <label className="field">
        <span className="field__label">
          User data <span className="field__qualifier">(optional)</span>
        </span>
        <span className="field__description">A script cloud-init runs once at first boot, e.g. to install packages.</span>
        <textarea
          className="field__input launch-userdata"
          rows={4}
          value={draft.userData}
          spellCheck={false}
          placeholder={'#!/bin/bash\napt-get update'}
          onChange={(event) => onChange({ userData: event.target.value })}
        />
      </label>
    </div>
  );
}
