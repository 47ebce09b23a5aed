import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { ipv4Schema, SSH_GROUP_NAME, type NetworkInfo, type RegionScope, type SecurityGroupInfo } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { Field, SelectField } from '../../components/field';
import { SessionManagerChoice } from './session-manager-choice';
import type { Remote } from './use-remote';

export interface NetworkStepProps {
  scope: RegionScope;
  network: Remote<NetworkInfo>;
  vpcId: string | undefined;
  subnetId: string | undefined;
  groupIds: readonly string[];
  /** SSH from my IP, or Session Manager with no port open (issue 15), with the IAM consent. */
  access: 'ssh' | 'session-manager';
  ssmConsent: boolean;
  onChange: (next: {
    vpcId?: string | undefined;
    subnetId?: string | undefined;
    groupIds?: readonly string[];
    access?: 'ssh' | 'session-manager';
    ssmConsent?: boolean;
    ssmNeedsConsent?: boolean;
  }) => void;
}

/** Default VPC and subnet unless picked; an existing group or `hangar-ssh` allowing SSH from this computer's IP only. */
export function NetworkStep({ scope, network, vpcId, subnetId, groupIds, access, ssmConsent, onChange }: NetworkStepProps): ReactNode {
  const [ip, setIp] = useState<string>();
  const [ipError, setIpError] = useState<HangarError>();
  const [manualIp, setManualIp] = useState('');
  const [anywhere, setAnywhere] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();
  const [updated, setUpdated] = useState<string>();

  useEffect(() => {
    let live = true;
    api.launch.myIp().then(
      (value) => live && setIp(value),
      (caught: unknown) => live && setIpError(toHangarError(caught)),
    );
    return () => {
      live = false;
    };
  }, []);

  const info = network.value;
  const vpc = vpcId ?? info?.defaultVpcId;
  useEffect(() => {
    if (vpcId === undefined && info?.defaultVpcId !== undefined) onChange({ vpcId: info.defaultVpcId });
  }, [vpcId, info?.defaultVpcId, onChange]);

  // A later launch: the hangar-ssh group made last time is what lets SSH in, so it starts chosen (once per VPC).
  const existing = info?.securityGroups.find((g) => g.vpcId === vpc && g.groupName === SSH_GROUP_NAME);
  const preselectedIn = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (existing === undefined || preselectedIn.current === existing.vpcId) return;
    preselectedIn.current = existing.vpcId;
    if (groupIds.length === 0) onChange({ groupIds: [existing.groupId] });
  }, [existing, groupIds, onChange]);

  if (network.status === 'loading') {
    return (
      <p className="busy-line" role="status">
        <span className="spinner" aria-hidden="true" /> Reading VPCs, subnets and security groups…
      </p>
    );
  }
  if (network.status === 'failed') return <ErrorNotice title="Could not read the network" error={network.error} onRetry={network.reload} />;
  const { vpcs, subnets, securityGroups } = network.value;
  const groups = securityGroups.filter((g) => g.vpcId === vpc);
  const ours = groups.find((g) => g.groupName === SSH_GROUP_NAME);
  const source = ip ?? (ipv4Schema.safeParse(manualIp.trim()).success ? manualIp.trim() : undefined);
  const manualProblem = manualIp.trim() !== '' && !ipv4Schema.safeParse(manualIp.trim()).success ? 'An IPv4 address such as 203.0.113.7.' : undefined;

  async function createGroup(): Promise<void> {
    if (vpc === undefined || (!anywhere && source === undefined)) return;
    setBusy(true);
    setError(undefined);
    try {
      const group = await api.launch.createSshGroup({ ...scope, vpcId: vpc, source: anywhere ? 'anywhere' : (source ?? '') });
      network.reload();
      onChange({ groupIds: [...new Set([...groupIds, group.groupId])] });
    } catch (caught) {
      setError(toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }

  async function updateIp(group: SecurityGroupInfo): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.launch.updateMyIp({ ...scope, groupId: group.groupId, ...(ip === undefined && source !== undefined ? { ip: source } : {}) });
      setUpdated(`${group.groupName} now allows SSH from ${result.sshSources.join(', ')}.`);
      network.reload();
    } catch (caught) {
      setError(toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }

  // Without the address the echo service would have told, Update my IP has nothing to write: say so once, with the field.
  const ipProblem = ipError && (
    <>
      <ErrorNotice error={ipError} />
      <Field label="Your public IP address" value={manualIp} onChange={setManualIp} placeholder="203.0.113.7" error={manualProblem} />
    </>
  );

  function toggle(groupId: string, on: boolean): void {
    onChange({ groupIds: on ? [...groupIds, groupId] : groupIds.filter((id) => id !== groupId) });
  }

  return (
    <div className="launch-step">
      {vpcs.length === 0 ? (
        <p className="launch-callout launch-callout--warn" role="note">
          This account has no VPC in {scope.region}. Create the default VPC in the VPC console (Actions → Create default VPC), then come back.
        </p>
      ) : (
        <div className="launch-columns">
          <SelectField label="VPC" value={vpc ?? ''} onChange={(value) => onChange({ vpcId: value, subnetId: undefined, groupIds: [] })}>
            {vpc === undefined && <option value="">Choose a VPC…</option>}
            {vpcs.map((v) => (
              <option key={v.vpcId} value={v.vpcId}>
                {v.name ?? v.vpcId} ({v.cidr}){v.isDefault ? ' — default' : ''}
              </option>
            ))}
          </SelectField>
          <SelectField label="Subnet" value={subnetId ?? ''} onChange={(value) => onChange({ subnetId: value === '' ? undefined : value })}>
            <option value="">{vpc === info?.defaultVpcId ? 'Any zone (AWS picks a default subnet)' : 'Choose a subnet…'}</option>
            {subnets
              .filter((s) => s.vpcId === vpc)
              .map((s) => (
                <option key={s.subnetId} value={s.subnetId}>
                  {s.availabilityZone} — {s.subnetId} ({s.cidr}){s.publicIpOnLaunch ? '' : ', no public IP'}
                </option>
              ))}
          </SelectField>
        </div>
      )}

      <SessionManagerChoice scope={scope} access={access} consent={ssmConsent} onChange={onChange} />

      {access === 'ssh' && (
        <fieldset className="launch-group">
          <legend className="launch-group__title">Security groups</legend>
          {groups.length === 0 && <p className="launch-note">No security groups in this VPC.</p>}
          {groups.map((g) => (
            <label key={g.groupId} className="launch-check launch-check--row">
              <input type="checkbox" checked={groupIds.includes(g.groupId)} onChange={(event) => toggle(g.groupId, event.target.checked)} aria-label={`${g.groupName} (${g.groupId})`} />
              <span>
                <strong>{g.groupName}</strong> <span className="mono launch-note">{g.groupId}</span>
                <span className="launch-note"> — SSH from {g.sshSources.length === 0 ? 'nowhere' : g.sshSources.join(', ')}</span>
                {g.sshSources.includes('0.0.0.0/0') && <span className="badge badge--warn">Open to the internet</span>}
              </span>
              {g.groupName === SSH_GROUP_NAME && (
                <Button
                  size="s"
                  onClick={() => void updateIp(g)}
                  disabled={busy || source === undefined}
                  title={source === undefined ? 'Hangar does not know your public IP address yet: type it below.' : `Allow SSH from ${source}/32 only`}
                >
                  Update my IP
                </Button>
            )}
          </label>
        ))}
        {updated && (
          <p className="launch-note" role="status">
            {updated}
          </p>
        )}
        {ours && ipError && (
          <>
            <p className="launch-note" role="note" aria-label="Update my IP">
              {SSH_GROUP_NAME} already exists. Hangar could not learn your public IP address, so Update my IP cannot tell which address to
              allow{source === undefined ? ' and is disabled: type your address below to enable it' : `: it will allow ${source}/32`}.
            </p>
            {ipProblem}
          </>
        )}
        <p className="launch-note">Jupyter and TensorBoard ports are never opened: Hangar reaches them through SSH tunnels.</p>
      </fieldset>
      )}

      {access === 'ssh' && !ours && vpc !== undefined && (
        <fieldset className="launch-group">
          <legend className="launch-group__title">Create “{SSH_GROUP_NAME}” (SSH from my IP only)</legend>
          {ip !== undefined && (
            <p className="launch-note">
              Your public IP is <span className="mono">{ip}</span>: the group allows TCP 22 from {ip}/32 only.
            </p>
          )}
          {ipProblem}
          <label className="launch-check">
            <input type="checkbox" checked={anywhere} onChange={(event) => setAnywhere(event.target.checked)} /> Allow SSH from anywhere (0.0.0.0/0)
          </label>
          {anywhere && (
            <p className="launch-callout launch-callout--warn" role="alert">
              Anyone on the internet can then try to log in on port 22. Bots scan for open SSH within minutes; use this only on networks whose address changes constantly, and switch back with Update my IP.
            </p>
          )}
          <div>
            <Button variant="primary" onClick={() => void createGroup()} disabled={busy || (!anywhere && source === undefined)}>
              {busy ? 'Creating…' : anywhere ? `Create ${SSH_GROUP_NAME} open to anywhere` : `Create ${SSH_GROUP_NAME} for my IP`}
            </Button>
          </div>
        </fieldset>
      )}
      {error && <ErrorNotice error={error} onDismiss={() => setError(undefined)} />}
    </div>
  );
}
