import { SsmDataChannel, type SsmChannelEnd, type SsmTiming } from './ssm-data-channel';
import { SSM_SHELL_DOCUMENT, type SsmSessionApi, type SsmTarget } from './ssm-session-api';

export interface SsmShellOptions {
  readonly cols: number;
  readonly rows: number;
  onData(bytes: Buffer): void;
  onEnd?(end: SsmChannelEnd): void;
  readonly timing?: Partial<SsmTiming>;
  readonly signal?: AbortSignal;
}

/** A shell on an instance through Session Manager: the same write / resize / close a terminal session needs. */
export interface SsmShell {
  readonly sessionId: string;
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  /** Closes the data channel and ends the session on AWS (TerminateSession), so it stops counting as open. */
  close(): Promise<void>;
}

export async function openSsmShell(api: SsmSessionApi, target: SsmTarget, options: SsmShellOptions): Promise<SsmShell> {
  const started = await api.start(target, { name: SSM_SHELL_DOCUMENT }, options.signal);
  let channel: SsmDataChannel;
  try {
    channel = await SsmDataChannel.open({
      streamUrl: started.streamUrl,
      tokenValue: started.tokenValue,
      onData: options.onData,
      ...(options.onEnd === undefined ? {} : { onEnd: options.onEnd }),
      ...(options.timing === undefined ? {} : { timing: options.timing }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    await api.terminate(target, started.sessionId).catch(() => undefined);
    throw error;
  }
  // The plugin sends the terminal size first thing; the agent's pty starts at its own default until then.
  channel.resize(options.cols, options.rows);
  let closed = false;
  return {
    sessionId: started.sessionId,
    write: (data) => channel.write(data),
    resize: (cols, rows) => channel.resize(cols, rows),
    close: async () => {
      if (closed) return;
      closed = true;
      channel.close();
      await api.terminate(target, started.sessionId);
    },
  };
}
