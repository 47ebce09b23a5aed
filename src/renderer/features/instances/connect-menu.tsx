import type { ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { WAY_IN_LABELS, type WayIn, type WaysIn } from '../../../shared/models/ways-in';
import { MenuButton, type MenuEntry } from '../../components/menu-button';

export type ConnectAccess = 'instance-connect' | 'session-manager';

const SHORT: Record<WayIn, string> = { 'ssh-key': 'key', 'instance-connect': 'IC', 'session-manager': 'SSM', endpoint: 'EICE' };

/** What Connect on the row does: the best way in when it needs saying, else SSH as always (a held key, else Instance Connect). */
export function connectAccess(ways: WaysIn | undefined): ConnectAccess | undefined {
  return ways?.best === 'session-manager' || ways?.best === 'instance-connect' ? ways.best : undefined;
}

/** "SSH key, Session Manager": the available ways, for titles and the summary. */
export function waysSummary(ways: WaysIn | undefined): string {
  if (ways === undefined) return 'not checked yet';
  const available = ways.ways.filter((w) => w.available).map((w) => (w.way === 'endpoint' ? `through an ${WAY_IN_LABELS[w.way]}` : WAY_IN_LABELS[w.way]));
  return available.length === 0 ? 'none found' : available.join(', ');
}

/**
 * The row's ways in (issue 15): a compact summary of the ways that work ("key · SSM") on a menu button whose
 * items connect each way, with why each does or does not work. Unavailable ways stay selectable (the checks
 * are AWS's view; the attempt says what it finds), marked as such.
 */
export function ConnectMenu({ instance, label, ways, onConnect }: { instance: InstanceSummary; label: string; ways: WaysIn | undefined; onConnect: (instance: InstanceSummary, access?: ConnectAccess) => void }): ReactNode {
  const detailOf = (way: WayIn): string | undefined => {
    const state = ways?.ways.find((w) => w.way === way);
    if (state === undefined) return undefined;
    return `${state.available ? (ways?.best === way ? 'Best way in: ' : 'Works: ') : 'Not available: '}${state.detail}`;
  };
  const item = (way: WayIn, text: string, access: ConnectAccess | undefined): MenuEntry => {
    const detail = detailOf(way);
    return { kind: 'item', label: text, ...(detail === undefined ? {} : { detail }), onSelect: () => onConnect(instance, access) };
  };
  const endpoint = ways?.ways.find((w) => w.way === 'endpoint' && w.available);
  const entries: MenuEntry[] = [
    { kind: 'heading', label: endpoint === undefined ? 'Ways in' : `Ways in (${endpoint.detail})` },
    item('ssh-key', 'Connect with SSH key', undefined),
    item('instance-connect', 'Connect with Instance Connect', 'instance-connect'),
    item('session-manager', 'Connect with Session Manager', 'session-manager'),
  ];
  const short = ways?.ways.filter((w) => w.available).map((w) => SHORT[w.way]) ?? [];
  return (
    <MenuButton
      label={`Ways into ${label}`}
      title={`Ways in: ${waysSummary(ways)}. Choose how to connect.`}
      buttonClassName="copy-button ways-in-button"
      entries={entries}
      floating
    >
      {short.length > 0 && <span className="ways-in-button__summary">{short.join(' · ')}</span>}
      <span aria-hidden="true">▾</span>
    </MenuButton>
  );
}
