import type { ClientChannel } from 'ssh2';
import { ChannelBacklog } from '../ssh/channel-backlog';

/**
 * Coalesces small writes (tar headers, small files) into ~64 KiB chunks for an exec channel and waits for
 * 'drain' when the channel's window is full, so a fast disk never queues the whole tree in memory.
 */
export class ChannelWriter {
  private buffer: Buffer;
  private used = 0;
  private closed = false;
  private readonly backlog: ChannelBacklog;

  /** `maxBacklog`: bytes that may wait unconsumed at the far side (channel-backlog.ts); Infinity for no limit. */
  constructor(
    private readonly channel: ClientChannel,
    private readonly chunkSize: number,
    private readonly signal: AbortSignal,
    maxBacklog = Number.POSITIVE_INFINITY,
  ) {
    this.backlog = new ChannelBacklog(channel, maxBacklog);
    this.buffer = Buffer.allocUnsafe(chunkSize);
    channel.once('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async push(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const n = Math.min(data.length - offset, this.chunkSize - this.used);
      data.copy(this.buffer, this.used, offset, offset + n);
      this.used += n;
      offset += n;
      if (this.used === this.chunkSize) await this.flush();
    }
  }

  /** Room to read file data straight into, avoiding a copy; `commit(n)` after filling it. */
  async room(): Promise<Buffer> {
    if (this.used === this.chunkSize) await this.flush();
    return this.buffer.subarray(this.used);
  }

  async commit(n: number): Promise<void> {
    this.used += n;
    if (this.used === this.chunkSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    if (this.closed) throw Object.assign(new Error('tar channel closed'), { code: 'TAR_CLOSED' });
    // The stream keeps a reference to what it could not send yet: hand the buffer over, take a new one.
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(this.chunkSize);
    this.used = 0;
    if (!this.channel.write(chunk)) await this.drained();
    await this.backlog.settle(this.signal);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.channel.off('drain', done);
        this.channel.off('close', done);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      this.channel.on('drain', done);
      this.channel.on('close', done);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }
}
