import type { ReactNode } from 'react';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { Icons } from '../../components/icons';

export interface TransfersScreenProps {
  onNavigate: (section: Section) => void;
}

export function TransfersScreen({ onNavigate }: TransfersScreenProps): ReactNode {
  return (
    <EmptyState
      icon={<Icons.transfers size={32} />}
      title="No transfers yet"
      actions={
        <Button trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('instances')}>
          Go to Instances
        </Button>
      }
    >
      <p>Drag files onto an instance to upload them. Uploads and downloads show here with their progress, and you can pause or cancel them.</p>
    </EmptyState>
  );
}
