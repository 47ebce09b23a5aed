import { describe, expect, it } from 'vitest';
import { describeIdleReason } from '../../../src/main/services/idle/idle-reason';

const LINE = 'hangar-idle: stopping after 60 min idle: no GPU use, no kernels, no sessions';

describe('describeIdleReason', () => {
  it('turns the console line into the sentence shown on the stopped instance', () => {
    expect(describeIdleReason(`${LINE}\n`)).toEqual({
      minutes: 60,
      summary: 'no GPU use, no kernels, no sessions',
      sentence: "stopped by Hangar's idle watcher after 60 min idle: no GPU use, no kernels, no sessions",
    });
  });

  it('finds it among boot and shutdown noise, with CRLF and a kernel timestamp before it', () => {
    const console = [
      '[    0.000000] Linux version 6.1.0-18-cloud-amd64 (debian-kernel@lists.debian.org)',
      'ec2: #############################################################',
      'Ubuntu 22.04.4 LTS ip-172-31-5-9 ttyS0',
      `[ 3725.118842] ${LINE}`,
      '[  OK  ] Stopped target Graphical Interface.',
      '[ 3726.0] reboot: Power down',
    ].join('\r\n');
    expect(describeIdleReason(console)?.sentence).toBe("stopped by Hangar's idle watcher after 60 min idle: no GPU use, no kernels, no sessions");
  });

  it('takes the last stop line when there are several', () => {
    const console = `hangar-idle: stopping after 30 min idle: no GPU, no kernels, no sessions, load 0.01\n${LINE}, load 0.20\n`;
    expect(describeIdleReason(console)).toMatchObject({ minutes: 60, summary: 'no GPU use, no kernels, no sessions, load 0.20' });
  });

  it('says nothing when the machine booted again after the stop line (that stop was not the last)', () => {
    const console = `${LINE}\r\n[    0.000000] Linux version 6.1.0-18-cloud-amd64 (gcc 12)\r\nlogin:`;
    expect(describeIdleReason(console)).toBeUndefined();
  });

  it('says nothing for output without the line, or with only the journal form of it', () => {
    expect(describeIdleReason('')).toBeUndefined();
    expect(describeIdleReason('[  OK  ] Reached target Power-Off.\nhangar-idle: idle (no GPU); stopping after 60 min unless something starts\n')).toBeUndefined();
  });

  it('keeps only printable text from the instance, and not too much of it', () => {
    const stop = describeIdleReason(`hangar-idle: stopping after 15 min idle: no GPU use\u001b[31m, no kernels\u0007${'x'.repeat(500)}\n`);
    expect(stop?.summary).toBe(`no GPU use[31m, no kernels${'x'.repeat(200 - 'no GPU use[31m, no kernels'.length)}`);
    expect(stop?.summary).toHaveLength(200);
    expect(stop?.minutes).toBe(15);
  });
});
