import type { ReactNode } from 'react';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { Icons } from '../../components/icons';

export interface CostsScreenProps {
  onNavigate: (section: Section) => void;
}

export function CostsScreen({ onNavigate }: CostsScreenProps): ReactNode {
  return (
    <EmptyState
      icon={<Icons.costs size={32} />}
      title="Nothing is costing you money that Hangar knows of yet"
      actions={
        <Button trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('accounts')}>
          Go to Accounts
        </Button>
      }
    >
      <p>Running instances, their disks and Elastic IPs show here with their hourly price and what they have cost this month.</p>
    </EmptyState>
  );
}
