import type { ReactNode } from 'react';
import { SECTIONS, type Section } from '../../shared/models/settings';
import { Icons, type IconProps } from '../components/icons';

export interface SectionMeta {
  readonly id: Section;
  readonly label: string;
  /** One line under the page title. */
  readonly description: string;
  readonly Icon: (props: IconProps) => ReactNode;
  /** 1-based; Ctrl/Cmd + this digit opens the section. */
  readonly shortcut: number;
}

const LABELS: Record<Section, { label: string; description: string }> = {
  accounts: { label: 'Accounts', description: 'AWS access keys Hangar signs in with. Secrets stay in your system keychain.' },
  instances: { label: 'Instances', description: 'Your EC2 machines in every region: start, stop and connect.' },
  transfers: { label: 'Transfers', description: 'Uploads and downloads between this computer and your instances.' },
  tunnels: { label: 'Tunnels', description: 'Ports on your instances, forwarded over SSH to this computer.' },
  costs: { label: 'Costs', description: 'What is running, what it costs per hour, and this month so far.' },
  images: { label: 'Images & snapshots', description: 'Your AMIs and EBS snapshots: make, share, copy to another region, restore and clean up.' },
};

/** The sidebar, in the order of SECTIONS (which is also the order of the Ctrl/Cmd+digit shortcuts). */
export const SECTION_LIST: readonly SectionMeta[] = SECTIONS.map((id, index) => ({
  id,
  ...LABELS[id],
  Icon: Icons[id],
  shortcut: index + 1,
}));

export function sectionMeta(id: Section): SectionMeta {
  // SECTION_LIST is built from SECTIONS, so every id is present.
  return SECTION_LIST.find((meta) => meta.id === id) as SectionMeta;
}
