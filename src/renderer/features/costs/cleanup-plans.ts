import type { CleanupAction, CleanupItem, LedgerRow } from '../../../shared/models/costs';
import { rowLabel } from './costs-format';

export interface CleanupMeta {
  /** Button and title: "Delete", "Deregister". */
  readonly verb: string;
  /** "volume" / "volumes". */
  readonly noun: readonly [string, string];
  /** What is lost forever and what keeps billing, in plain words; the first line is the warning. */
  readonly explanation: readonly string[];
  /** Cannot be undone: the name (or, for several, a phrase with the count) must be typed. */
  readonly irreversible: boolean;
  readonly busy: string;
}

export const CLEANUP_META: Readonly<Record<CleanupAction, CleanupMeta>> = {
  'delete-volume': {
    verb: 'Delete',
    noun: ['volume', 'volumes'],
    irreversible: true,
    busy: 'Deleting',
    explanation: [
      'Deleting a volume destroys the data on it forever. This cannot be undone.',
      'Its storage stops billing at once. If you might need the data, take a snapshot first (snapshots cost less than volumes).',
    ],
  },
  'delete-snapshot': {
    verb: 'Delete',
    noun: ['snapshot', 'snapshots'],
    irreversible: true,
    busy: 'Deleting',
    explanation: [
      'Deleting a snapshot destroys the backup it holds forever. This cannot be undone.',
      'Volumes made from it earlier are not affected. A snapshot that an AMI still uses cannot be deleted: deregister the AMI instead.',
    ],
  },
  'deregister-image': {
    verb: 'Deregister',
    noun: ['AMI', 'AMIs'],
    irreversible: true,
    busy: 'Deregistering',
    explanation: [
      'Deregistering an AMI and deleting its snapshots removes the image for good: no new instance can be launched from it. This cannot be undone.',
      'Its snapshots are deleted in the same step, which ends their storage bill. Instances already launched from it keep running (and billing).',
    ],
  },
  'release-address': {
    verb: 'Release',
    noun: ['Elastic IP', 'Elastic IPs'],
    irreversible: true,
    busy: 'Releasing',
    explanation: [
      'Releasing an Elastic IP gives the address back to AWS for good: you may never get the same address again.',
      'DNS records or firewall rules that point at it stop working. An address still attached to an instance must be disassociated first.',
    ],
  },
  'stop-instance': {
    verb: 'Stop',
    noun: ['instance', 'instances'],
    irreversible: false,
    busy: 'Stopping',
    explanation: [
      'Stopping ends compute billing. The disk is kept, and its storage (EBS volumes) is still billed.',
      'Memory contents are lost. The public IP address changes on the next start unless it is an Elastic IP.',
    ],
  },
  'terminate-instance': {
    verb: 'Terminate',
    noun: ['instance', 'instances'],
    irreversible: true,
    busy: 'Terminating',
    explanation: [
      'Terminating deletes the instance and every volume marked delete-on-termination, forever. This cannot be undone.',
      'Volumes not marked delete-on-termination stay, and keep billing, as unattached volumes; an Elastic IP stays allocated (and billed) until released.',
    ],
  },
};

/** The order the toolbar offers them in. */
export const CLEANUP_ORDER: readonly CleanupAction[] = ['stop-instance', 'terminate-instance', 'delete-volume', 'delete-snapshot', 'deregister-image', 'release-address'];

export interface CleanupPlan {
  readonly action: CleanupAction;
  readonly rows: readonly LedgerRow[];
}

/** The selected rows that can take `action`. */
export function planCleanup(action: CleanupAction, selected: readonly LedgerRow[]): CleanupPlan {
  return { action, rows: selected.filter((row) => row.actions.includes(action)) };
}

export function nounFor(meta: CleanupMeta, count: number): string {
  return count === 1 ? meta.noun[0] : meta.noun[1];
}

/** What must be typed to confirm: the one row's name, or e.g. "delete 3 snapshots" for several. */
export function confirmPhrase(plan: CleanupPlan): string {
  const meta = CLEANUP_META[plan.action];
  const [only] = plan.rows;
  if (plan.rows.length === 1 && only) return rowLabel(only);
  return `${meta.verb.toLowerCase()} ${plan.rows.length} ${nounFor(meta, plan.rows.length)}`;
}

export function phraseMatches(plan: CleanupPlan, typed: string): boolean {
  const phrase = confirmPhrase(plan);
  const [only] = plan.rows;
  const text = typed.trim();
  if (plan.rows.length === 1 && only) return text === phrase || text === only.id;
  return text.toLowerCase() === phrase;
}

export function itemsOf(plan: CleanupPlan): CleanupItem[] {
  return plan.rows.map((row) => ({ accountId: row.accountId, region: row.region, action: plan.action, id: row.id, ...(row.name === undefined ? {} : { name: row.name }) }));
}
