import type { ReactNode } from 'react';
import type { InstanceStateName } from '../../../shared/models/ec2';
import { STATE_LABELS, isTransitional } from './format';

/** Colour + words (never colour alone); a spinner while AWS is moving the instance between states. */
export function StateBadge({ state, reason }: { state: InstanceStateName; reason?: string | undefined }): ReactNode {
  return (
    <span className={`state state--${state}`} title={reason}>
      {isTransitional(state) ? <span className="spinner state__spinner" aria-hidden="true" /> : <span className="state__dot" aria-hidden="true" />}
      <span className="state__label">{STATE_LABELS[state]}</span>
    </span>
  );
}
