import { describe, expect, it } from 'vitest';
import { SpeedMeter } from '../../../src/main/services/transfer/speed-meter';

describe('SpeedMeter', () => {
  it('reports bytes per second over the last ~3 s and an ETA once totals are known', () => {
    let now = 0;
    const meter = new SpeedMeter(3000, () => now);
    expect(meter.bytesPerSecond()).toBe(0);
    // 10 MB/s for 5 s.
    for (let t = 0; t <= 5000; t += 100) {
      now = t;
      meter.record(t * 10_000);
    }
    expect(meter.bytesPerSecond()).toBe(10_000_000);
    expect(meter.etaSeconds(50_000_000, 100_000_000, true)).toBe(5);
    expect(meter.etaSeconds(50_000_000, 100_000_000, false)).toBeUndefined();
    expect(meter.etaSeconds(100_000_000, 100_000_000, true)).toBe(0);
  });

  it('follows a change of speed within the window, and falls to 0 when stalled', () => {
    let now = 0;
    const meter = new SpeedMeter(3000, () => now);
    let bytes = 0;
    for (; now <= 10_000; now += 100) {
      bytes += now < 5000 ? 100_000 : 10_000; // 1 MB/s, then 100 KB/s
      meter.record(bytes);
    }
    now -= 100;
    expect(meter.bytesPerSecond()).toBeGreaterThan(90_000);
    expect(meter.bytesPerSecond()).toBeLessThan(110_000);
    now += 4000;
    expect(meter.bytesPerSecond()).toBe(0);
    expect(meter.etaSeconds(0, 1000, true)).toBeUndefined();
  });
});
