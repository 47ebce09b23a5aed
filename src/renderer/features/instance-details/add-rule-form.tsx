import { useState, type FormEvent, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { parseCidr } from '../../../shared/models/cidr';
import { descriptionProblem, openToWorldWarning, ruleConflict, ruleWords, type FirewallGroup, type RuleProtocol } from '../../../shared/models/firewall';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { Icons } from '../../components/icons';

/** What the Traffic choice stands for; "custom" ones take the port from the Ports field. */
const TRAFFIC = [
  { key: 'ssh', label: 'SSH (22)', protocol: 'tcp', port: 22 },
  { key: 'https', label: 'HTTPS (443)', protocol: 'tcp', port: 443 },
  { key: 'http', label: 'HTTP (80)', protocol: 'tcp', port: 80 },
  { key: 'jupyter', label: 'Jupyter (8888)', protocol: 'tcp', port: 8888 },
  { key: 'tensorboard', label: 'TensorBoard (6006)', protocol: 'tcp', port: 6006 },
  { key: 'rdp', label: 'RDP (3389)', protocol: 'tcp', port: 3389 },
  { key: 'tcp', label: 'Other TCP port(s)…', protocol: 'tcp', port: undefined },
  { key: 'udp', label: 'Other UDP port(s)…', protocol: 'udp', port: undefined },
  { key: 'icmp', label: 'Ping and other ICMP', protocol: 'icmp', port: -1 },
  { key: 'all', label: 'All traffic', protocol: '-1', port: undefined },
] as const satisfies readonly { key: string; label: string; protocol: RuleProtocol; port: number | undefined }[];

type TrafficKey = (typeof TRAFFIC)[number]['key'];

/** "8000-8100", "8000–8100" or "5000". */
function parsePorts(text: string): { from: number; to: number } | string {
  const m = /^\s*(\d{1,5})\s*(?:[-–]\s*(\d{1,5})\s*)?$/.exec(text);
  if (!m) return 'Type a port (5000) or a range (8000-8100).';
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535) return 'Ports go up to 65535.';
  if (to < from) return 'The range must go from the smaller port to the larger.';
  return { from, to };
}

export interface AddRuleFormProps {
  scope: { accountId: string; region: string };
  groups: readonly FirewallGroup[];
  onAdded: (group: FirewallGroup, words: string) => void;
  onCancel: () => void;
}

/** One inbound rule for one address range, checked at the fields as it is typed, the way EC2 will check it. */
export function AddRuleForm({ scope, groups, onAdded, onCancel }: AddRuleFormProps): ReactNode {
  const [groupId, setGroupId] = useState(groups[0]?.groupId ?? '');
  const [traffic, setTraffic] = useState<TrafficKey>('ssh');
  const [ports, setPorts] = useState('');
  const [source, setSource] = useState('');
  const [description, setDescription] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();
  const [myIpBusy, setMyIpBusy] = useState(false);

  const group = groups.find((g) => g.groupId === groupId);
  const choice = TRAFFIC.find((t) => t.key === traffic) ?? TRAFFIC[0];
  const custom = choice.port === undefined && choice.protocol !== '-1';
  const portRange = custom ? parsePorts(ports) : undefined;
  const portProblem = typeof portRange === 'string' ? portRange : undefined;
  const fromPort = choice.protocol === '-1' ? undefined : custom ? (typeof portRange === 'object' ? portRange.from : undefined) : choice.port;
  const toPort = choice.protocol === '-1' ? undefined : custom ? (typeof portRange === 'object' ? portRange.to : undefined) : choice.port;

  const parsed = source.trim() === '' ? undefined : parseCidr(source);
  const cidr = parsed?.ok === true ? parsed.cidr.text : undefined;
  let sourceProblem: string | undefined;
  if (parsed !== undefined && !parsed.ok) sourceProblem = parsed.problem;
  else if (parsed === undefined && submitted) sourceProblem = 'Type the IP address to let in, e.g. 203.0.113.7.';
  else if (cidr !== undefined && group && portProblem === undefined) sourceProblem = ruleConflict({ protocol: choice.protocol, fromPort, toPort, cidr }, group.inbound);
  const descriptionError = descriptionProblem(description);
  const warning = cidr === undefined ? undefined : openToWorldWarning({ protocol: choice.protocol, fromPort, toPort, source: { kind: 'cidr', cidr } });
  const ready = cidr !== undefined && sourceProblem === undefined && descriptionError === undefined && portProblem === undefined && group !== undefined;

  async function fillMyIp(): Promise<void> {
    setMyIpBusy(true);
    try {
      setSource(await api.launch.myIp());
    } catch (e) {
      setError(toHangarError(e));
    } finally {
      setMyIpBusy(false);
    }
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setSubmitted(true);
    if (!ready || cidr === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.firewall.addRule({
        ...scope,
        groupId,
        protocol: choice.protocol,
        ...(fromPort === undefined ? {} : { fromPort, toPort: toPort ?? fromPort }),
        cidr,
        description: description.trim(),
      });
      onAdded(updated, ruleWords({ protocol: choice.protocol, fromPort, toPort, source: { kind: 'cidr', cidr }, description: description.trim() }));
    } catch (e) {
      setError(toHangarError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="rule-form" aria-label="Add an inbound rule" onSubmit={(event) => void submit(event)} noValidate>
      <div className="rule-form__row">
        {groups.length > 1 && (
          <label className="rule-form__select">
            Security group
            <select className="select" value={groupId} onChange={(event) => setGroupId(event.target.value)}>
              {groups.map((g) => (
                <option key={g.groupId} value={g.groupId}>
                  {g.groupName} ({g.groupId})
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="rule-form__select">
          Traffic
          <select className="select" value={traffic} onChange={(event) => setTraffic(event.target.value as TrafficKey)}>
            {TRAFFIC.map((t) => (
              <option key={t.key} value={t.key}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        {custom && <Field label="Ports" value={ports} onChange={setPorts} placeholder="8000-8100" error={ports === '' && !submitted ? undefined : portProblem} />}
      </div>
      <Field
        label="From (IP address or range)"
        value={source}
        onChange={setSource}
        placeholder="203.0.113.7 or 203.0.113.0/24"
        description="A single address lets in that one computer; a range such as /24 lets in 256 addresses."
        error={sourceProblem}
        trailing={
          <Button size="s" onClick={() => void fillMyIp()} disabled={myIpBusy}>
            {myIpBusy ? 'Asking…' : 'Use my IP'}
          </Button>
        }
      />
      {warning !== undefined && sourceProblem === undefined && (
        <div className="callout callout--warn" role="note" aria-label="Open to the internet">
          <Icons.alert size={16} className="callout__icon" />
          <div className="callout__body">
            <p>{warning}</p>
          </div>
        </div>
      )}
      <Field label="Description" qualifier="optional" value={description} onChange={setDescription} placeholder="Ana laptop" maxLength={255} error={descriptionError} />
      {error && <ErrorNotice title="Could not add the rule" error={error} />}
      <div className="rule-form__actions">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={busy || (submitted && !ready)}>
          {busy ? 'Adding…' : 'Add rule'}
        </Button>
      </div>
    </form>
  );
}
