import { redact } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, extra?: unknown): void;
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Receives each finished, already redacted line. Defaults to stderr. */
  sink?: (line: string) => void;
  clock?: () => Date;
}

function describe(extra: unknown): string {
  if (extra === undefined) return '';
  if (extra instanceof Error) {
    const code = (extra as { code?: unknown }).code;
    return ` ${extra.name}${code === undefined ? '' : `(${String(code)})`}: ${extra.message}`;
  }
  try {
    return ` ${JSON.stringify(extra)}`;
  } catch {
    return ' [unserialisable]';
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? (() => new Date());
  const write = (level: LogLevel, message: string, extra: unknown): void => {
    if (ORDER[level] < min) return;
    sink(redact(`${clock().toISOString()} ${level.toUpperCase()} ${message}${describe(extra)}`));
  };
  return {
    debug: (m, e) => write('debug', m, e),
    info: (m, e) => write('info', m, e),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
