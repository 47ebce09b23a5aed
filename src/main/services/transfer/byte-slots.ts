/**
 * A fixed set of reusable buffers: a job may only have as many bytes in flight as it holds buffers, so a
 * transfer never floods the SSH connection (the shells sharing it stay responsive) nor memory.
 */
export class ByteSlots {
  private readonly free: Buffer[] = [];
  private readonly waiters: ((buffer: Buffer) => void)[] = [];
  private created = 0;

  /** `allowed()` may hold fewer of the buffers in use (it is asked each time one more would be made). */
  constructor(
    readonly count: number,
    readonly size: number,
    private readonly allowed: () => number = () => count,
  ) {}

  private mayCreate(): boolean {
    return this.created < Math.min(this.count, this.allowed());
  }

  take(): Promise<Buffer> {
    const buffer = this.free.pop();
    if (buffer !== undefined) return Promise.resolve(buffer);
    if (this.mayCreate()) {
      this.created++;
      return Promise.resolve(Buffer.allocUnsafe(this.size));
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A buffer now, or undefined when all are in use (callers holding none may then wait with take()). */
  tryTake(): Buffer | undefined {
    const buffer = this.free.pop();
    if (buffer !== undefined) return buffer;
    if (this.mayCreate()) {
      this.created++;
      return Buffer.allocUnsafe(this.size);
    }
    return undefined;
  }

  give(buffer: Buffer): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(buffer);
    else this.free.push(buffer);
  }
}

/** The contiguous prefix of a file the far side has confirmed, while writes complete out of order. */
export class AckedPrefix {
  private readonly done = new Map<number, number>();

  constructor(private prefix: number) {}

  get bytes(): number {
    return this.prefix;
  }

  ack(offset: number, length: number): void {
    this.done.set(offset, length);
    for (let next = this.done.get(this.prefix); next !== undefined; next = this.done.get(this.prefix)) {
      this.done.delete(this.prefix);
      this.prefix += next;
    }
  }
}
