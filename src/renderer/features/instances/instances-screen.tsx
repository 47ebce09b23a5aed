import type { ReactNode } from 'react';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { Icons } from '../../components/icons';

export interface InstancesScreenProps {
  onNavigate: (section: Section) => void;
}

export function InstancesScreen({ onNavigate }: InstancesScreenProps): ReactNode {
  return (
    <EmptyState
      icon={<Icons.instances size={32} />}
      title="Add an AWS account to see your instances"
      actions={
        <Button variant="primary" trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('accounts')}>
          Go to Accounts
        </Button>
      }
    >
      <p>Once an account is added, Hangar lists its EC2 instances from every region, so you can start, stop and connect to them here.</p>
    </EmptyState>
  );
}
