import { describe, expect, it } from 'vitest';
import { parseStatus } from '../../../src/main/services/idle/idle-status';
import { watcherScript } from '../../../src/main/services/idle/watcher-script';

const rule = { idleMinutes: 60, cpuLoad: 0.5, gpuPercent: 10, jupyterMinutes: 10 };
const head = watcherScript(rule).split('\n').slice(0, 40).join('\n');

describe('parseStatus (what the status script printed on the instance)', () => {
  it('all three files, the rule, the timer and the last run', () => {
    const text = [
      '@@file /usr/local/bin/hangar-idle-watcher',
      '@@file /etc/systemd/system/hangar-idle-watcher.service',
      '@@file /etc/systemd/system/hangar-idle-watcher.timer',
      '@@script',
      head,
      '@@timer',
      'active',
      '@@state',
      'boot_id=8d2c',
      'last_busy=1700000000',
      'checked=1700000600',
      'decision=idle',
      'reason=no GPU use, no kernels, no sessions, load 0.02',
      '',
    ].join('\n');
    expect(parseStatus(text)).toEqual({
      installed: true,
      partial: false,
      settings: rule,
      timer: 'active',
      lastDecision: 'idle',
      lastReason: 'no GPU use, no kernels, no sessions, load 0.02',
      lastCheckedAt: '2023-11-14T22:23:20.000Z',
      lastBusyAt: '2023-11-14T22:13:20.000Z',
    });
  });

  it('nothing there', () => {
    expect(parseStatus('@@script\n@@timer\ninactive\n@@state\n')).toEqual({ installed: false, partial: false, timer: 'inactive' });
  });

  it('some files only is partial; a decision it does not know and a bad time are left out', () => {
    const text = '@@file /etc/systemd/system/hangar-idle-watcher.timer\n@@script\n@@timer\n@@state\ndecision=reboot\nchecked=soon\n';
    expect(parseStatus(text)).toEqual({ installed: false, partial: true });
  });
});
