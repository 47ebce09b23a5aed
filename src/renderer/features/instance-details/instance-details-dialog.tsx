import { useState, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { InstanceRef } from '../../../shared/models/transfers';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ConsolePanel } from './console-panel';
import { DetailTabs } from './detail-tabs';
import { ElasticIpPanel } from './elastic-ip-panel';
import { FirewallPanel } from './firewall-panel';
import './instance-details.css';

type TabKey = 'console' | 'firewall' | 'eip';

const TABS = [
  { key: 'console', label: 'Console' },
  { key: 'firewall', label: 'Firewall' },
  { key: 'eip', label: 'Elastic IP' },
] as const;

export interface InstanceDetailsDialogProps {
  accountId: string;
  instance: InstanceSummary;
  onClose: () => void;
  /** An Elastic IP was attached or detached: the instance's public IP changed. */
  onAddressChanged?: (() => void) | undefined;
}

/**
 * What to look at when SSH does not answer: the instance's console (text, screen, serial console), who its
 * firewall lets in, and a fixed public address. One dialog, three tabs.
 */
export function InstanceDetailsDialog({ accountId, instance, onClose, onAddressChanged }: InstanceDetailsDialogProps): ReactNode {
  const [tab, setTab] = useState<TabKey>('console');
  const [announcement, setAnnouncement] = useState('');
  const name = instance.name ?? instance.id;
  const ref: InstanceRef = { accountId, region: instance.region, instanceId: instance.id };

  return (
    <Dialog
      open
      className="instance-details"
      title={`${name} — console and network`}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      }
    >
      <DetailTabs tabs={TABS} selected={tab} onSelect={setTab} label="Console and network">
        {tab === 'console' && <ConsolePanel instance={ref} name={name} running={instance.state === 'running'} onAnnounce={setAnnouncement} />}
        {tab === 'firewall' && <FirewallPanel instance={ref} onAnnounce={setAnnouncement} />}
        {tab === 'eip' && <ElasticIpPanel instance={ref} name={name} publicIp={instance.publicIp} onAnnounce={setAnnouncement} onAddressChanged={onAddressChanged} />}
      </DetailTabs>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </Dialog>
  );
}
