/**
 * Bytes per second over a sliding window (~3 s): steadier than the last interval, quicker to follow a
 * change than a job-wide average. ETA only when the total is known (the counting walk has ended).
 */
export class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the job's running byte total (not a delta). */
  record(totalBytes: number): void {
    const at = this.now();
    this.samples.push({ at, bytes: totalBytes });
    // Keep one sample older than the window so the rate spans the whole window.
    while (this.samples.length > 2 && (this.samples[1] as { at: number }).at <= at - this.windowMs) this.samples.shift();
  }

  reset(): void {
    this.samples.length = 0;
  }

  bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at <= first.at) return 0;
    // A stalled transfer shows 0 after a window without progress.
    if (this.now() - last.at > this.windowMs) return 0;
    const span = Math.max(this.now(), last.at) - first.at;
    return span <= 0 ? 0 : Math.round(((last.bytes - first.bytes) * 1000) / span);
  }

  etaSeconds(doneBytes: number, totalBytes: number, totalKnown: boolean): number | undefined {
    if (!totalKnown) return undefined;
    const left = Math.max(0, totalBytes - doneBytes);
    if (left === 0) return 0;
    const rate = this.bytesPerSecond();
    return rate > 0 ? Math.ceil(left / rate) : undefined;
  }
}
