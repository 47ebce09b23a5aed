import { useEffect } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { spotNotice } from '../../../shared/models/spot';
import { notifyDesktop } from '../../components/desktop-notification';

// Notified (instance id + status code) in this window's session: a notice is told once, not on every poll.
const told = new Set<string>();

/**
 * A spot instance on screen got an interruption notice, or was stopped or terminated by AWS: a desktop
 * notification says so (the row says it too). Clicking it shows the instance.
 */
export function useSpotNotices(instances: readonly InstanceSummary[], onShow: (instance: InstanceSummary) => void): void {
  useEffect(() => {
    for (const instance of instances) {
      const notice = spotNotice(instance.spot);
      const code = instance.spot?.statusCode;
      if (notice?.level !== 'interruption' || code === undefined) continue;
      const key = `${instance.id}\n${code}`;
      if (told.has(key)) continue;
      told.add(key);
      notifyDesktop({
        title: `Spot interruption — ${instance.name ?? instance.id}`,
        body: notice.text,
        tag: `spot-${instance.id}-${code}`,
        onClick: () => onShow(instance),
      });
    }
  }, [instances, onShow]);
}
