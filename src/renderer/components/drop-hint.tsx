import type { ReactNode } from 'react';
import { Icons } from './icons';
import './drop-hint.css';

/** What a drop target says while files are dragged over it. */
export interface DropHint {
  readonly text: string;
  /** The target cannot take files now (instance not running, shell not connected). */
  readonly refused: boolean;
}

/** The highlight over a drop target: "Drop to upload to web-1:~", or why it cannot take files. */
export function DropHintOverlay({ hint, placement = 'start' }: { hint: DropHint; placement?: 'start' | 'center' }): ReactNode {
  return (
    <div className={`drop-hint drop-hint--${placement}${hint.refused ? ' drop-hint--refused' : ''}`} role="status" title={hint.text}>
      <span className="drop-hint__label">
        {hint.refused ? <Icons.alert size={16} /> : <Icons.transfers size={16} />}
        {hint.text}
      </span>
    </div>
  );
}
