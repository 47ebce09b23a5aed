import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { provenanceLabel } from '../../../shared/models/costs';
import { idleAddressWords, type ElasticIp, type ElasticIpList } from '../../../shared/models/elastic-ips';
import type { InstanceRef } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { Icons } from '../../components/icons';
import { shown, useLoad } from './use-load';

export interface ElasticIpPanelProps {
  instance: InstanceRef;
  name: string;
  /** The instance's public IP now (an auto-assigned one is replaced by an Elastic IP attached to it). */
  publicIp: string | undefined;
  onAnnounce: (message: string) => void;
  onAddressChanged?: (() => void) | undefined;
}

/** The region's Elastic IPs: a fixed public address for this instance, with what an idle one costs said first. */
export function ElasticIpPanel({ instance, name, publicIp, onAnnounce, onAddressChanged }: ElasticIpPanelProps): ReactNode {
  const scope = { accountId: instance.accountId, region: instance.region };
  const list = useLoad(() => api.elasticIps.list(scope), `${instance.accountId}|${instance.region}`);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<HangarError>();
  const [newName, setNewName] = useState('');
  const [releasing, setReleasing] = useState<ElasticIp>();
  const current = shown(list.load);
  const mine = current?.addresses.find((a) => a.instanceId === instance.instanceId);

  async function run(what: string, work: () => Promise<string>): Promise<void> {
    setBusy(what);
    setError(undefined);
    try {
      onAnnounce(await work());
      list.reload();
    } catch (e) {
      setError(toHangarError(e));
    } finally {
      setBusy(undefined);
    }
  }

  const allocate = (): Promise<void> =>
    run('allocate', async () => {
      const made = await api.elasticIps.allocate({ ...scope, ...(newName.trim() === '' ? {} : { name: newName.trim() }) });
      setNewName('');
      return `Allocated Elastic IP ${made.publicIp}`;
    });

  return (
    <div className="eip-panel">
      <div className="callout callout--warn" role="note" aria-label="Elastic IP price">
        <Icons.alert size={16} className="callout__icon" />
        <div className="callout__body">
          <p>{idleAddressWords(current?.hourlyUsd)}</p>
          {current?.priceSource && <p className="dialog__note">Price: {provenanceLabel(current.priceSource)}.</p>}
        </div>
      </div>
      <p className="details-note">
        An Elastic IP is a public address that stays yours across stops and starts. Attaching one replaces {name}’s current public IP
        {publicIp === undefined ? '' : ` (${publicIp})`}: SSH and anything else must then use the new address.
      </p>
      {list.load.status === 'loading' && current === undefined && (
        <p className="busy-line" role="status">
          <span className="spinner spinner--small" aria-hidden="true" /> Reading Elastic IPs…
        </p>
      )}
      {list.load.status === 'failed' && <ErrorNotice title="Could not list Elastic IPs" error={list.load.error} onRetry={list.reload} />}
      {error && <ErrorNotice error={error} onDismiss={() => setError(undefined)} />}
      {current && <AddressList list={current} instanceId={instance.instanceId} mine={mine} busy={busy} run={run} scope={scope} onRelease={setReleasing} onAddressChanged={onAddressChanged} />}
      <div className="eip-panel__allocate">
        <Field label="Name for a new Elastic IP" qualifier="optional" value={newName} onChange={setNewName} maxLength={255} placeholder="lab server" />
        <Button icon={<Icons.plus size={16} />} onClick={() => void allocate()} disabled={busy !== undefined}>
          {busy === 'allocate' ? 'Allocating…' : 'Allocate Elastic IP'}
        </Button>
      </div>
      <ConfirmDialog
        open={releasing !== undefined}
        title="Release this Elastic IP?"
        confirmLabel="Release"
        busyLabel="Releasing…"
        focusCancel
        onClose={() => setReleasing(undefined)}
        onConfirm={async (signal) => {
          if (!releasing) return;
          await api.elasticIps.release.with({ signal })({ ...scope, allocationId: releasing.allocationId });
          onAnnounce(`Released Elastic IP ${releasing.publicIp}`);
          list.reload();
        }}
      >
        <p>
          {releasing?.publicIp} goes back to AWS for good; you will not get the same address again. It stops billing once released.
        </p>
      </ConfirmDialog>
    </div>
  );
}

interface AddressListProps {
  list: ElasticIpList;
  instanceId: string;
  mine: ElasticIp | undefined;
  busy: string | undefined;
  scope: { accountId: string; region: string };
  run: (what: string, work: () => Promise<string>) => Promise<void>;
  onRelease: (address: ElasticIp) => void;
  onAddressChanged?: (() => void) | undefined;
}

function AddressList({ list, instanceId, mine, busy, scope, run, onRelease, onAddressChanged }: AddressListProps): ReactNode {
  if (list.addresses.length === 0) return <p className="details-note">No Elastic IPs in this region.</p>;
  return (
    <ul className="rule-list" aria-label="Elastic IPs in this region">
      {list.addresses.map((a) => {
        const label = a.name === undefined ? a.publicIp : `${a.publicIp} (${a.name})`;
        const where =
          a.instanceId === instanceId
            ? 'attached to this instance'
            : a.instanceId !== undefined
              ? `attached to ${a.instanceId}`
              : a.networkInterfaceId !== undefined
                ? `attached to ${a.networkInterfaceId}`
                : 'idle — billing while unattached';
        return (
          <li key={a.allocationId} className={`rule-list__item${a.associationId === undefined ? ' rule-list__item--open' : ''}`}>
            <div className="rule-list__words">
              <span>
                <span className="mono">{a.publicIp}</span>
                {a.name === undefined ? '' : ` — ${a.name}`}
              </span>
              <span className="details-muted">{where}</span>
            </div>
            {a.instanceId === instanceId && (
              <Button
                size="s"
                aria-label={`Detach ${label}`}
                disabled={busy !== undefined}
                onClick={() =>
                  void run(a.allocationId, async () => {
                    await api.elasticIps.disassociate({ ...scope, allocationId: a.allocationId });
                    onAddressChanged?.();
                    return `Detached ${a.publicIp}; it is idle now and still billing until released`;
                  })
                }
              >
                Detach
              </Button>
            )}
            {a.associationId === undefined && (
              <>
                <Button
                  size="s"
                  aria-label={`Attach ${label} to this instance`}
                  disabled={busy !== undefined}
                  title={mine === undefined ? undefined : `Replaces ${mine.publicIp}, which becomes idle`}
                  onClick={() =>
                    void run(a.allocationId, async () => {
                      await api.elasticIps.associate({ ...scope, allocationId: a.allocationId, instanceId });
                      onAddressChanged?.();
                      return `Attached ${a.publicIp} to this instance`;
                    })
                  }
                >
                  Attach
                </Button>
                <Button size="s" variant="ghost" className="button--quiet-danger" aria-label={`Release ${label}`} disabled={busy !== undefined} onClick={() => onRelease(a)}>
                  Release
                </Button>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
