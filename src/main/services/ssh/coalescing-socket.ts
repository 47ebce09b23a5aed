import { Socket } from 'node:net';

/**
 * A TCP socket that hands the kernel what was written during one turn of the event loop in one `writev`.
 * ssh2 writes every SSH packet (at most 32 KiB of channel data) on its own, so a bulk upload made one
 * send(2) per packet and woke sshd once per packet; OpenSSH's own client writes what it has queued per
 * poll round. Measured on loopback (bench/README.md): ~15 % less CPU on both ends for the same bytes.
 * Interactive writes (a keystroke) wait only until the end of the current loop turn: microseconds.
 */
export class CoalescingSocket extends Socket {
  private flushQueued = false;

  private readonly flush = (): void => {
    this.flushQueued = false;
    this.uncork();
  };

  override write(buffer: Uint8Array | string, cb?: (err?: Error | null) => void): boolean;
  override write(str: Uint8Array | string, encoding?: BufferEncoding, cb?: (err?: Error | null) => void): boolean;
  override write(...args: unknown[]): boolean {
    if (!this.flushQueued) {
      this.flushQueued = true;
      this.cork();
      setImmediate(this.flush);
    }
    return (super.write as (...a: unknown[]) => boolean)(...args);
  }
}
