import type { ReactNode } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import type { Section } from '../../shared/models/settings';
import { AccountsScreen } from '../features/accounts/accounts-screen';
import { CostsScreen } from '../features/costs/costs-screen';
import { ImagesScreen } from '../features/images/images-screen';
import { InstancesScreen } from '../features/instances/instances-screen';
import { TransfersScreen } from '../features/transfers/transfers-screen';
import { TunnelsScreen } from '../features/tunnels/tunnels-screen';

export interface SectionScreenProps {
  section: Section;
  onNavigate: (section: Section) => void;
  keychainProblem: HangarError | undefined;
  onRetryKeychain: () => void;
}

/** The body of the main area for one section (the title above it belongs to the app frame). */
export function SectionScreen({ section, onNavigate, keychainProblem, onRetryKeychain }: SectionScreenProps): ReactNode {
  switch (section) {
    case 'accounts':
      return <AccountsScreen keychainProblem={keychainProblem} onRetryKeychain={onRetryKeychain} />;
    case 'instances':
      return <InstancesScreen onNavigate={onNavigate} />;
    case 'transfers':
      return <TransfersScreen onNavigate={onNavigate} />;
    case 'tunnels':
      return <TunnelsScreen onNavigate={onNavigate} />;
    case 'costs':
      return <CostsScreen onNavigate={onNavigate} />;
    case 'images':
      return <ImagesScreen onNavigate={onNavigate} />;
  }
}
