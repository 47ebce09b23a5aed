import { HangarError } from '../../../shared/errors/hangar-error';
import { redact } from '../logging/redact';
import { shellQuote } from '../ssh/shell-quote';
import { WATCHER_NAME, WATCHER_SERVICE, WATCHER_TIMER } from './watcher-units';

export interface WatcherDirs {
  readonly unitDir: string;
  readonly binDir: string;
  readonly stateDir: string;
}

/** What an administrator runs on the instance to put the staged files in place (one line to paste). */
export function manualInstallCommands(stagedDir: string, dirs: WatcherDirs): string {
  const staged = (name: string): string => `${stagedDir}/${name}`;
  return [
    shellQuote(['sudo', 'install', '-m', '0755', staged(WATCHER_NAME), `${dirs.binDir}/${WATCHER_NAME}`]),
    shellQuote(['sudo', 'install', '-m', '0644', staged(WATCHER_SERVICE), staged(WATCHER_TIMER), `${dirs.unitDir}/`]),
    'sudo systemctl daemon-reload',
    shellQuote(['sudo', 'systemctl', 'enable', '--now', WATCHER_TIMER]),
  ].join(' && ');
}

export function manualUninstallCommands(dirs: WatcherDirs): string {
  return [
    shellQuote(['sudo', 'systemctl', 'disable', '--now', WATCHER_TIMER]),
    shellQuote(['sudo', 'rm', '-f', `${dirs.binDir}/${WATCHER_NAME}`, `${dirs.unitDir}/${WATCHER_SERVICE}`, `${dirs.unitDir}/${WATCHER_TIMER}`]),
    shellQuote(['sudo', 'rm', '-rf', dirs.stateDir]),
    'sudo systemctl daemon-reload',
  ].join('; ');
}

/** `sudo -n true` failed: 127 means there is no sudo at all, anything else that it wants a password or refuses. */
export function noSudoError(input: {
  title: string;
  user: string;
  sudoStatus: number | undefined;
  action: 'install' | 'uninstall';
  commands: string | undefined;
}): HangarError {
  const why = input.sudoStatus === 127 ? 'the instance has no sudo' : `sudo asks ${input.user} for a password (or refuses)`;
  const verb = input.action === 'install' ? 'install' : 'remove';
  const commands = input.commands;
  return new HangarError({
    code: 'IDLE_NO_SUDO',
    message: `Hangar cannot ${verb} the idle watcher on ${input.title}: ${why}, and it needs root to ${input.action === 'install' ? 'add' : 'remove'} a systemd timer.`,
    hint:
      commands === undefined
        ? `Give ${input.user} passwordless sudo, or rely on the CloudWatch alarm alone (it needs nothing on the instance).`
        : input.action === 'install'
          ? `The files are ready in the home folder. As an administrator, run on the instance: ${commands}   Or rely on the CloudWatch alarm alone.`
          : `As an administrator, run on the instance: ${commands}`,
    details: { user: input.user, sudoStatus: input.sudoStatus ?? -1, ...(commands === undefined ? {} : { commands }) },
  });
}

export function noSystemdError(title: string): HangarError {
  return new HangarError({
    code: 'IDLE_NO_SYSTEMD',
    message: `${title} does not run systemd, so the idle watcher (a systemd timer) cannot be installed there.`,
    hint: 'Use the CloudWatch alarm alone for this instance: it stops an idle instance with nothing installed on it.',
  });
}

export function terminatesError(title: string): HangarError {
  return new HangarError({
    code: 'IDLE_SHUTDOWN_TERMINATES',
    message: `${title} is set to terminate when it shuts itself down, so the idle watcher would delete it instead of stopping it.`,
    hint: 'Set its shutdown behaviour to Stop (EC2 console: Actions → Instance settings → Change shutdown behavior). Instances with an instance-store root volume cannot stop at all.',
  });
}

/** A remote step exited non-zero: its own words (redacted, the last lines) go into the message. */
export function stepFailedError(title: string, what: string, output: string, code: number | undefined): HangarError {
  const tail = redact(output).trim().split('\n').slice(-5).join(' / ').slice(0, 500);
  return new HangarError({
    code: 'IDLE_INSTALL_FAILED',
    message: `Could not ${what} on ${title} (exit ${code ?? 'unknown'})${tail === '' ? '.' : `: ${tail}`}`,
    hint: 'Open a terminal on the instance to look at it; `systemctl status hangar-idle-watcher.timer` shows what systemd thinks.',
    retryable: true,
    details: { exitCode: code ?? -1 },
  });
}
