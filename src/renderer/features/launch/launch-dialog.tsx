import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { autoStopCpuSchema, autoStopMinutesSchema, fieldProblem } from '../../../shared/models/auto-stop';
import type { DryRunResult, LaunchedInstance, RegionScope } from '../../../shared/models/launch';
import { regionDisplayName } from '../../../shared/models/region-names';
import { askNotificationPermission } from '../../components/desktop-notification';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { useScreenSlots } from '../../state/screen-slots';
import { Icons } from '../../components/icons';
import { DetailsStep, detailsProblems } from './details-step';
import { ImageStep } from './image-step';
import { KeyStep } from './key-step';
import { EMPTY_DRAFT, toRequest, type LaunchDraft } from './launch-draft';
import { LaunchedStep } from './launched-step';
import { ClusterSetupPanel, useClusterSetup } from './cluster-setup-panel';
import { NetworkStep } from './network-step';
import { ReviewStep } from './review-step';
import { TypeStep } from './type-step';
import { useRemote } from './use-remote';
import './launch.css';

const STEPS = ['Image', 'Type', 'Key pair', 'Network', 'Details', 'Review'] as const;
type Step = (typeof STEPS)[number];

export interface LaunchDialogProps {
  accountId: string;
  region: string;
  onClose: () => void;
  /** The launch went through: select and follow these instances. */
  onLaunched: (region: string, instances: readonly LaunchedInstance[]) => void;
  onConnect: (region: string, instance: LaunchedInstance, access?: 'session-manager') => void;
  /** Opened for one of My AMIs (Images & snapshots → Launch…): it is chosen once the catalogue has it. */
  imageId?: string | undefined;
}

type DryRunState = { status: 'running' } | { status: 'done'; result: DryRunResult } | { status: 'failed'; error: HangarError } | undefined;

/**
 * The Launch wizard: Image → Type → Key pair → Network → Details → Review, then the launched instances
 * followed until SSH answers. Enter moves on, Escape closes (the native <dialog>), Back goes back.
 */
export function LaunchDialog({ accountId, region, onClose, onLaunched, onConnect, imageId }: LaunchDialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const formId = useId();
  const scope = useMemo<RegionScope>(() => ({ accountId, region }), [accountId, region]);
  const scopeKey = `${accountId}/${region}`;
  const [step, setStep] = useState<Step>('Image');
  const [draft, setDraft] = useState<LaunchDraft>(EMPTY_DRAFT);
  const [dryRun, setDryRun] = useState<DryRunState>();
  const [launching, setLaunching] = useState(false);
  const [launchError, setLaunchError] = useState<HangarError>();
  const [launched, setLaunched] = useState<readonly LaunchedInstance[]>();
  const clusterSetup = useClusterSetup(scope, draft.cluster && draft.count > 1 ? draft.clusterName.trim() : '', launched, draft.clusterShare.trim());
  const [autoStopped, setAutoStopped] = useState<{ on: string[]; failed: { name: string; error: HangarError }[] }>();
  const { AutoStopLaunchOption } = useScreenSlots();

  const catalog = useRemote(scopeKey, () => api.launch.images(scope));
  const architecture = draft.image?.architecture;
  const types = useRemote(architecture === undefined ? undefined : `${scopeKey}/${architecture}`, () => api.launch.instanceTypes(scope, architecture ?? 'x86_64'));
  const pairs = useRemote(step === 'Key pair' || step === 'Review' ? scopeKey : undefined, () => api.launch.keyPairs(scope));
  const network = useRemote(step === 'Network' || step === 'Review' ? scopeKey : undefined, () => api.launch.network(scope));

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const patch = useCallback((next: Partial<LaunchDraft>) => setDraft((current) => ({ ...current, ...next })), []);

  // Launch… from the Images screen: that AMI is chosen as soon as the catalogue lists it, once (issue 14).
  const [preselected, setPreselected] = useState(false);
  const wanted = imageId === undefined || preselected || draft.image !== undefined ? undefined : catalog.value?.mine.find((i) => i.imageId === imageId);
  if (wanted) {
    setPreselected(true);
    patch({ image: wanted, rootSizeGiB: Math.max(wanted.rootSizeGiB, 8) });
  }
  const request = toRequest(draft, scope);

  function runDryRun(): void {
    if (!request) return;
    setDryRun({ status: 'running' });
    api.launch.dryRun(request).then(
      (result) => setDryRun({ status: 'done', result }),
      (error: unknown) => setDryRun({ status: 'failed', error: toHangarError(error) }),
    );
  }

  const autoStopValid =
    !draft.autoStop.on || (fieldProblem(autoStopMinutesSchema, draft.autoStop.minutes) === undefined && fieldProblem(autoStopCpuSchema, draft.autoStop.cpuPercent) === undefined);

  /** The idle alarm for each new instance, right after RunInstances answered. */
  async function armAutoStop(instances: readonly LaunchedInstance[]): Promise<void> {
    const { minutes, cpuPercent } = draft.autoStop;
    const results = await Promise.all(
      instances.map(async (i) => {
        try {
          await api.autoStop.enable({ instance: { ...scope, instanceId: i.instanceId }, minutes: Number(minutes), cpuPercent: Number(cpuPercent), alarm: true, watcher: false });
          return { name: i.name, error: undefined };
        } catch (error) {
          return { name: i.name, error: toHangarError(error) };
        }
      }),
    );
    setAutoStopped({
      on: results.filter((r) => r.error === undefined).map((r) => r.name),
      failed: results.flatMap((r) => (r.error === undefined ? [] : [{ name: r.name, error: r.error }])),
    });
  }

  const stepIndex = STEPS.indexOf(step);
  const canNext = ((): boolean => {
    switch (step) {
      case 'Image':
        return draft.image !== undefined;
      case 'Type':
        return draft.type !== undefined;
      case 'Key pair':
        return true;
      case 'Network':
        return (draft.vpcId !== undefined || network.value?.defaultVpcId !== undefined) && !(draft.access === 'session-manager' && draft.ssmNeedsConsent && !draft.ssmConsent);
      case 'Details':
        return draft.image !== undefined && Object.keys(detailsProblems(draft, draft.image)).length === 0;
      case 'Review':
        return request !== undefined && !launching && autoStopValid;
    }
  })();

  function next(): void {
    if (!canNext) return;
    if (step === 'Review') {
      void launch();
      return;
    }
    const following = STEPS[stepIndex + 1];
    if (following === undefined) return;
    if (following === 'Review') {
      setLaunchError(undefined);
      runDryRun();
    }
    setStep(following);
  }

  async function launch(): Promise<void> {
    if (!request) return;
    setLaunching(true);
    setLaunchError(undefined);
    // A spot instance can be interrupted: its notice comes as a desktop notification, if the user allows them.
    if (request.spot) askNotificationPermission();
    try {
      const instances = await api.launch.launch(request);
      setLaunched(instances);
      onLaunched(region, instances);
      if (draft.autoStop.on) void armAutoStop(instances);
    } catch (error) {
      setLaunchError(toHangarError(error));
    } finally {
      setLaunching(false);
    }
  }

  let body: ReactNode;
  if (launched) {
    body = (
      <>
        <LaunchedStep
          scope={scope}
          instances={launched}
          viaSessionManager={draft.access === 'session-manager'}
          onConnect={(instance, access) => onConnect(region, instance, access)}
          onAllReady={() => clusterSetup.run()}
        />
        {draft.cluster && draft.count > 1 && <ClusterSetupPanel clusterName={draft.clusterName.trim()} setup={clusterSetup} />}
        {autoStopped && autoStopped.on.length > 0 && (
          <p className="launch-callout launch-callout--ok" role="status">
            Stop when idle is on for {autoStopped.on.join(', ')}: a CloudWatch alarm stops {autoStopped.on.length === 1 ? 'it' : 'each'} after {draft.autoStop.minutes} minutes
            below {draft.autoStop.cpuPercent} % CPU.
          </p>
        )}
        {autoStopped?.failed.map((f) => <ErrorNotice key={f.name} error={f.error} title={`Stop when idle could not be switched on for ${f.name}`} />)}
      </>
    );
  } else if (step === 'Image') {
    body = (
      <ImageStep
        scope={scope}
        catalog={catalog}
        selected={draft.image}
        onSelect={(image) =>
          patch({
            image,
            // A type of the other architecture cannot run it; sizes below the image's cannot hold it.
            ...(draft.type && !draft.type.architectures.includes(image.architecture) ? { type: undefined } : {}),
            rootSizeGiB: Math.max(image.rootSizeGiB, image.gpu ? Math.max(image.rootSizeGiB, 100) : 8),
            name: draft.name === EMPTY_DRAFT.name ? (image.presetId?.split('-')[0] ?? 'hangar') : draft.name,
          })
        }
      />
    );
  } else if (step === 'Type' && draft.image) {
    body = <TypeStep scope={scope} image={draft.image} types={types} selected={draft.type} spot={draft.spot} onSelect={(type) => patch({ type, autoStop: { ...draft.autoStop, on: type.gpus > 0 } })} />;
  } else if (step === 'Key pair' && draft.image) {
    body = <KeyStep scope={scope} image={draft.image} pairs={pairs} selected={draft.keyPair} onSelect={(keyPair) => patch({ keyPair })} />;
  } else if (step === 'Network') {
    body = (
      <NetworkStep
        scope={scope}
        network={network}
        vpcId={draft.vpcId}
        subnetId={draft.subnetId}
        groupIds={draft.groupIds}
        access={draft.access}
        ssmConsent={draft.ssmConsent}
        onChange={patch}
      />
    );
  } else if (step === 'Details' && draft.image && draft.type) {
    body = <DetailsStep scope={scope} image={draft.image} type={draft.type} draft={draft} onChange={patch} />;
  } else if (step === 'Review' && request) {
    body = (
      <ReviewStep
        request={request}
        draft={draft}
        network={network.value}
        dryRun={dryRun}
        onDryRun={runDryRun}
        launchError={launchError}
        options={<AutoStopLaunchOption value={draft.autoStop} onChange={(autoStop) => patch({ autoStop })} />}
      />
    );
  }

  return (
    <dialog
      ref={ref}
      className="dialog launch-dialog"
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <div className="dialog__panel launch-dialog__panel">
        <header className="dialog__header">
          <h2 className="dialog__title" id={titleId}>
            Launch instances in {regionDisplayName(region)} ({region})
          </h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <Icons.close size={16} />
          </button>
        </header>
        {!launched && (
          <ol className="launch-steps" aria-label="Steps">
            {STEPS.map((name, index) => (
              <li key={name} className={`launch-steps__item${index === stepIndex ? ' launch-steps__item--current' : index < stepIndex ? ' launch-steps__item--done' : ''}`} aria-current={index === stepIndex ? 'step' : undefined}>
                {index + 1}. {name}
              </li>
            ))}
          </ol>
        )}
        <form
          id={formId}
          className="dialog__body launch-dialog__body"
          aria-label={launched ? 'Launched' : step}
          onSubmit={(event) => {
            event.preventDefault();
            next();
          }}
          onKeyDown={(event) => {
            // Enter moves on from radios and checkboxes too (browsers submit only from text fields).
            const target = event.target;
            if (event.key !== 'Enter' || event.defaultPrevented) return;
            if (target instanceof HTMLTextAreaElement || target instanceof HTMLButtonElement || target instanceof HTMLSelectElement || target instanceof HTMLAnchorElement) return;
            if (target instanceof HTMLElement && target.closest('summary')) return;
            event.preventDefault();
            next();
          }}
        >
          {body}
        </form>
        <footer className="dialog__footer">
          {launched ? (
            <Button variant="primary" onClick={onClose}>
              Done
            </Button>
          ) : (
            <>
              <Button onClick={onClose}>Cancel</Button>
              {stepIndex > 0 && (
                <Button onClick={() => setStep(STEPS[stepIndex - 1] ?? 'Image')} disabled={launching}>
                  Back
                </Button>
              )}
              <Button variant="primary" type="submit" form={formId} disabled={!canNext} aria-keyshortcuts="Enter">
                {step === 'Review' ? (launching ? 'Launching…' : `Launch ${draft.count} instance${draft.count === 1 ? '' : 's'}`) : 'Next'}
              </Button>
            </>
          )}
        </footer>
      </div>
    </dialog>
  );
}
