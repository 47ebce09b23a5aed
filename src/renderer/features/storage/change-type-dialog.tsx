import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { TypeChangeChoices, TypeChangeResult, TypeChoice } from '../../../shared/models/storage';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { useBusy } from '../../state/use-busy';
import { memoryLabel, priceLabel } from './storage-format';
import './storage.css';

export interface ChangeTypeDialogProps {
  accountId: string;
  instance: InstanceSummary;
  onClose: () => void;
  /** The instance changed (its row should show the new type). */
  onChanged?: () => void;
}

function specs(t: TypeChoice): string {
  return `${t.vcpus} vCPU, ${memoryLabel(t.memoryMiB)}${t.gpus > 0 ? `, ${t.gpus} × ${t.gpuModel ?? 'GPU'}` : ''}`;
}

/** The vCPU quota for the chosen type, as the Launch wizard says it. */
function QuotaNote({ accountId, region, type }: { accountId: string; region: string; type: TypeChoice }): ReactNode {
  const [hint, setHint] = useState<string>();
  useEffect(() => {
    let live = true;
    api.launch.vcpuQuota({ accountId, region }, type.instanceType, false).then(
      (q) => live && setHint(`${type.instanceType} needs ${type.vcpus} vCPUs. ${q.hint}`),
      () => live && setHint(undefined),
    );
    return () => {
      live = false;
    };
  }, [accountId, region, type.instanceType, type.vcpus]);
  return hint ? <p className="dialog__note">{hint}</p> : null;
}

/**
 * Change type… without relaunching: the types that can run this instance (its architecture, the drivers its
 * image has, offered in its zone), the price before → after; a running instance is stopped, changed and started,
 * asked first.
 */
export function ChangeTypeDialog({ accountId, instance, onClose, onChanged }: ChangeTypeDialogProps): ReactNode {
  const [choices, setChoices] = useState<TypeChangeChoices>();
  const [picked, setPicked] = useState<string>();
  const [gpuOnly, setGpuOnly] = useState(false);
  const [search, setSearch] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [step, setStep] = useState<string>();
  const [done, setDone] = useState<TypeChangeResult>();
  const loader = useBusy();
  const action = useBusy();
  const id = useId();
  const scope = { accountId, region: instance.region, instanceId: instance.id };
  const { run: load } = loader;

  useEffect(() => {
    void load(async () => setChoices(await api.storage.typeChoices({ accountId, region: instance.region, instanceId: instance.id })));
  }, [load, accountId, instance.region, instance.id]);
  useEffect(() => subscribe.storageProgress((p) => p.instanceId === instance.id && p.volumeId === '' && setStep(p.step)), [instance.id]);

  const rows = useMemo(
    () => (choices?.choices ?? []).filter((t) => (!gpuOnly || t.gpus > 0) && (search.trim() === '' || t.instanceType.includes(search.trim().toLowerCase()))),
    [choices, gpuOnly, search],
  );
  const target = choices?.choices.find((t) => t.instanceType === picked);
  const running = choices?.state === 'running';
  const canChange = choices !== undefined && (choices.state === 'running' || choices.state === 'stopped');

  const change = (): void =>
    void action.run(async () => {
      if (!picked) return;
      setDone(await api.storage.changeType({ ...scope, instanceType: picked, restart: running }));
      setConfirming(false);
      onChanged?.();
    });

  return (
    <Dialog
      open
      title={`Change type of ${instance.name ?? instance.id}`}
      onClose={onClose}
      className="storage-dialog"
      footer={
        done ? (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" disabled={!target || target.unavailable !== undefined || !canChange || action.busy} onClick={() => (running ? setConfirming(true) : change())}>
              {running ? 'Stop, change and start…' : 'Change type'}
            </Button>
          </>
        )
      }
    >
      {loader.busy && !choices && (
        <p className="busy-line" role="status">
          <span className="spinner" aria-hidden="true" /> Listing the types this instance can use…
        </p>
      )}
      {loader.error && <ErrorNotice title="Could not list instance types" error={loader.error} />}
      {done ? (
        <p className="storage__done" role="status">
          {instance.name ?? instance.id} is now {done.to} (was {done.from}){done.state === 'running' ? ' and running again.' : '; it stays stopped until you start it.'}
        </p>
      ) : (
        choices && (
          <div className="storage">
            <p className="dialog__note">
              Now <strong>{choices.currentType}</strong>
              {choices.current && ` (${specs(choices.current)}, ${priceLabel(choices.current.pricePerHour)})`}. Its disks, files and private IP stay; a public IP that
              is not an Elastic IP changes when it starts again. Only {choices.architecture} types offered in {choices.availabilityZone} are listed.
              {!choices.enaSupport && ' Its image has no ENA driver, so current-generation (Nitro) types cannot run it.'}
            </p>
            {!canChange && <p className="storage__os-note">It is {choices.state}: the type changes once it is running or stopped.</p>}
            <div className="storage-form__row">
              <Field label="Find a type" value={search} onChange={setSearch} placeholder="e.g. g5" />
              <label className="storage-form__check">
                <input type="checkbox" checked={gpuOnly} onChange={(e) => setGpuOnly(e.target.checked)} /> GPU types only
              </label>
            </div>
            <div className="type-choices" role="radiogroup" aria-label="Instance types">
              {rows.map((t) => (
                <label key={t.instanceType} className={`type-choice${t.unavailable ? ' type-choice--off' : ''}`}>
                  <input type="radio" name={`${id}-type`} value={t.instanceType} disabled={t.unavailable !== undefined} checked={picked === t.instanceType} onChange={() => setPicked(t.instanceType)} />
                  <span className="type-choice__name mono">{t.instanceType}</span>
                  <span>{specs(t)}</span>
                  <span>{priceLabel(t.pricePerHour)}</span>
                  {t.unavailable && <span className="type-choice__why">{t.unavailable}</span>}
                </label>
              ))}
              {rows.length === 0 && <p className="dialog__note">No type matches.</p>}
            </div>
            {target && target.unavailable === undefined && (
              <>
                <p className="type-change__price" role="status">
                  {choices.currentType} {priceLabel(choices.current?.pricePerHour)} → {target.instanceType} {priceLabel(target.pricePerHour)}
                </p>
                <QuotaNote accountId={accountId} region={instance.region} type={target} />
              </>
            )}
            {confirming && target && (
              <div className="storage-form__confirm" role="alertdialog" aria-label="Stop, change and start?">
                <p>
                  {instance.name ?? instance.id} stops (open terminals and tunnels close, work in memory is lost), becomes {target.instanceType}, and starts again. It takes a
                  minute or two.
                </p>
                <div className="storage-form__buttons">
                  <Button onClick={() => setConfirming(false)} disabled={action.busy}>
                    Back
                  </Button>
                  <Button variant="primary" onClick={change} disabled={action.busy}>
                    {action.busy ? (step ?? 'Working…') : 'Stop, change and start'}
                  </Button>
                </div>
              </div>
            )}
            {action.busy && step !== undefined && (
              <p className="storage__step" role="status">
                <span className="spinner spinner--small" aria-hidden="true" /> {step}
              </p>
            )}
          </div>
        )
      )}
      {action.error && <ErrorNotice title="Could not change the type" error={action.error} />}
    </Dialog>
  );
}
