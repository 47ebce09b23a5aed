/** A spot instance's request as the instance list shows it (DescribeSpotInstanceRequests, looked up with the list). */
export interface SpotRequestInfo {
  readonly requestId: string;
  /** Undefined when the request could not be read (no ec2:DescribeSpotInstanceRequests). */
  readonly type?: 'one-time' | 'persistent';
  /** open | active | closed | cancelled | failed | disabled */
  readonly state?: string;
  /** EC2's status code, e.g. fulfilled, marked-for-stop, instance-stopped-by-price. */
  readonly statusCode?: string;
  readonly statusMessage?: string;
  readonly interruptionBehavior?: 'terminate' | 'stop' | 'hibernate';
  /** USD per hour, as the request's maximum price. */
  readonly maxPrice?: number;
}

export interface SpotNotice {
  /** interruption: AWS is taking the instance back, or has; note: worth knowing; none for a fulfilled request. */
  readonly level: 'interruption' | 'note';
  /** A few words for the row. */
  readonly short: string;
  /** A sentence for a tooltip or a notification. */
  readonly text: string;
}

const NOTICES: Readonly<Record<string, SpotNotice>> = {
  'marked-for-stop': { level: 'interruption', short: 'Stopping in 2 min', text: 'AWS needs the capacity back and will stop this spot instance within two minutes. Its disk is kept; AWS starts it again when capacity returns.' },
  'marked-for-termination': { level: 'interruption', short: 'Terminating in 2 min', text: 'AWS needs the capacity back and will terminate this spot instance within two minutes. Save what you need from it now.' },
  'marked-for-hibernation': { level: 'interruption', short: 'Hibernating in 2 min', text: 'AWS needs the capacity back and will hibernate this spot instance within two minutes.' },
  'instance-stopped-by-price': { level: 'interruption', short: 'Stopped: price', text: 'AWS stopped this spot instance because the spot price rose above your maximum price. It starts again when the price falls below it.' },
  'instance-stopped-no-capacity': { level: 'interruption', short: 'Stopped: no capacity', text: 'AWS stopped this spot instance because it needed the capacity. It starts again when capacity returns.' },
  'instance-terminated-by-price': { level: 'interruption', short: 'Terminated: price', text: 'AWS terminated this spot instance because the spot price rose above your maximum price.' },
  'instance-terminated-no-capacity': { level: 'interruption', short: 'Terminated: no capacity', text: 'AWS terminated this spot instance because it needed the capacity.' },
  'instance-terminated-by-service': { level: 'interruption', short: 'Terminated by AWS', text: 'AWS terminated this spot instance.' },
  'instance-stopped-by-user': { level: 'note', short: 'Stopped by you', text: 'You stopped this spot instance; its persistent request waits until you start it again.' },
  'request-canceled-and-instance-running': { level: 'note', short: 'Request cancelled', text: 'Its spot request is cancelled; the instance keeps running until you stop or terminate it.' },
};

/** What a spot request's status means for its instance; undefined when there is nothing to say (fulfilled). */
export function spotNotice(spot: SpotRequestInfo | undefined): SpotNotice | undefined {
  const code = spot?.statusCode;
  if (code === undefined || code === 'fulfilled') return undefined;
  const known = NOTICES[code];
  if (known) return known;
  // Codes EC2 adds later: any "marked-for-…" is an interruption notice.
  if (code.startsWith('marked-for-')) return { level: 'interruption', short: 'Interruption notice', text: spot?.statusMessage ?? `AWS is interrupting this spot instance (${code}).` };
  return { level: 'note', short: code, text: spot?.statusMessage ?? code };
}

/** "spot, persistent (stops when interrupted)" and the like, for the row. */
export function spotKindWords(spot: SpotRequestInfo): string {
  if (spot.type === 'persistent') return `spot, persistent (${spot.interruptionBehavior === 'hibernate' ? 'hibernates' : 'stops'} when interrupted)`;
  if (spot.type === 'one-time') return 'spot, one-time (ends when interrupted)';
  return 'spot';
}
