import type { ReactNode } from 'react';
import { useActiveTransferCount } from './transfers-store';
import './transfers.css';

/** The sidebar's count of running, queued and waiting transfers; nothing when the queue is idle. */
export function TransfersBadge(): ReactNode {
  const count = useActiveTransferCount();
  if (count === 0) return null;
  const label = `${count} transfer${count === 1 ? '' : 's'} running`;
  return (
    <span className="transfers-badge" role="status" aria-label={label} title={label}>
      {count}
    </span>
  );
}
