import { randomBytes } from 'node:crypto';
import { HangarError } from '../../../shared/errors/hangar-error';
import { SsmDataChannel, type SsmChannelEnd } from '../keyless/ssm/ssm-data-channel';
import { SSM_COMMAND_DOCUMENT, type SsmSessionApi, type SsmTarget } from '../keyless/ssm/ssm-session-api';
import { commandLine, type RemoteCommand } from '../ssh/remote-command';
import type { RemoteHost } from './remote-host';

const MAX_OUTPUT = 1_000_000;

/**
 * Commands through Session Manager when SSH cannot reach the instance: each runs in a session of
 * AWS-StartNonInteractiveCommand, whose agent hands the command to `sh -c` and ends the session when it exits.
 * The exit status travels as a marked last line (the agent's own exit-code message is not sent by every agent
 * version), and stderr is dropped, as SshConnection.run does.
 */
export function ssmRemoteHost(api: Pick<SsmSessionApi, 'start' | 'terminate'>, target: SsmTarget): RemoteHost {
  const run: RemoteHost['run'] = async (command, timeoutMs = 10_000, signal) => {
    const marker = `__hangar_exit_${randomBytes(6).toString('hex')}_`;
    const line = `(${commandLine(command)}) 2>/dev/null </dev/null; printf '\\n${marker}%s\\n' "$?"`;
    const started = await api.start(target, { name: SSM_COMMAND_DOCUMENT, parameters: { command: [line] } }, signal);
    const chunks: Buffer[] = [];
    let size = 0;
    let channel: SsmDataChannel | undefined;
    try {
      const ended = new Promise<SsmChannelEnd>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`remote command timed out after ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        SsmDataChannel.open({
          streamUrl: started.streamUrl,
          tokenValue: started.tokenValue,
          ...(signal === undefined ? {} : { signal }),
          onData: (bytes) => {
            if (size >= MAX_OUTPUT) return;
            chunks.push(bytes);
            size += bytes.length;
          },
          onEnd: (end) => {
            clearTimeout(timer);
            resolve(end);
          },
        }).then(
          (opened) => (channel = opened),
          (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        );
      });
      const end = await ended;
      if (end.kind === 'lost') throw end.error;
      // Agents that run the command in a pty turn \n into \r\n.
      const text = Buffer.concat(chunks).toString('utf8').replace(/\r\n/g, '\n');
      const at = text.lastIndexOf(`\n${marker}`);
      if (at < 0) return { stdout: text, code: undefined };
      const code = Number(/^(\d+)/.exec(text.slice(at + 1 + marker.length))?.[1]);
      return { stdout: text.slice(0, at), code: Number.isFinite(code) ? code : undefined };
    } finally {
      channel?.close();
      await api.terminate(target, started.sessionId).catch(() => undefined);
    }
  };

  return {
    via: 'session-manager',
    run,
    // bash's /dev/tcp opens the connection from the instance (sh has none); `timeout` bounds a filtered port.
    portAnswers: async (host, port) => {
      const probe: RemoteCommand = {
        script: `p='exec 3<>"/dev/tcp/$1/$2"'; if command -v timeout >/dev/null 2>&1; then exec timeout 5 bash -c "$p" probe "$1" "$2"; fi; exec bash -c "$p" probe "$1" "$2"`,
        args: [host, String(port)],
      };
      try {
        return (await run(probe, 15_000)).code === 0;
      } catch (error) {
        if (error instanceof HangarError) throw error;
        return false;
      }
    },
  };
}
