import type { ClientChannel } from 'ssh2';

/**
 * Keeps what a channel has sent but the far side has not consumed yet (its window in use) under a limit.
 * sshd holds that backlog in one buffer and, once it is large, copies what it holds along with every packet
 * it receives: a stream into a slower reader (tar making thousands of files) made sshd's CPU the bottleneck,
 * 5× less of it with 512 KiB waiting instead of the whole 2 MiB window (bench/README.md). Reads ssh2's own
 * account of the window (`outgoing.window`, not in its typings); where that is missing it does nothing.
 */
export class ChannelBacklog {
  private largestWindow = 0;

  constructor(
    private readonly channel: ClientChannel,
    private readonly limit: number,
  ) {}

  /** Resolves once at most `limit` bytes wait on the far side (or the channel is gone, or `signal` aborted). */
  async settle(signal: AbortSignal): Promise<void> {
    if (!Number.isFinite(this.limit)) return;
    for (;;) {
      const window = (this.channel as unknown as { outgoing?: { window?: unknown } }).outgoing?.window;
      if (typeof window !== 'number' || this.channel.destroyed || signal.aborted) return;
      // The window starts full and every adjust brings it back up: its largest value is its size.
      this.largestWindow = Math.max(this.largestWindow, window);
      if (this.largestWindow - window <= this.limit) return;
      // ssh2 tells nobody when a window adjust arrives; a millisecond is about a near link's round trip.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
