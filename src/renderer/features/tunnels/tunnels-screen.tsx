import type { ReactNode } from 'react';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { Icons } from '../../components/icons';

export interface TunnelsScreenProps {
  onNavigate: (section: Section) => void;
}

export function TunnelsScreen({ onNavigate }: TunnelsScreenProps): ReactNode {
  return (
    <EmptyState
      icon={<Icons.tunnels size={32} />}
      title="No tunnels"
      actions={
        <Button trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('instances')}>
          Go to Instances
        </Button>
      }
    >
      <p>Open Jupyter on a running instance with one click: Hangar forwards its port over SSH and opens it in your browser.</p>
    </EmptyState>
  );
}
