/** What cloud-init prints around the host key fingerprints (the same block SSH host key checks read). */
export const FINGERPRINTS_BEGIN = '-----BEGIN SSH HOST KEY FINGERPRINTS-----';
export const FINGERPRINTS_END = '-----END SSH HOST KEY FINGERPRINTS-----';

/** AWS's guide to the serial console: what it is and how to turn it on. */
export const SERIAL_CONSOLE_GUIDE_URL = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-serial-console.html';

/** An instance's console, as GetConsoleOutput and GetSerialConsoleAccessStatus tell it. */
export interface ConsoleView {
  readonly instanceId: string;
  /** The decoded text (the newest 64 KB AWS keeps); undefined while AWS has none yet (the first minutes after launch). */
  readonly text?: string | undefined;
  /** When AWS last updated the output (ISO 8601). */
  readonly updatedAt?: string | undefined;
  /** True when the text is the live serial output (Latest), false for the buffered copy older instance types give. */
  readonly latest: boolean;
  /** Whether the account may use the EC2 serial console; undefined when it could not be learned (no permission). */
  readonly serialConsole?: SerialConsoleAccess | undefined;
}

export interface SerialConsoleAccess {
  readonly enabled: boolean;
  /** 'declarative-policy': an organisation policy decides, the account cannot change it. */
  readonly managedBy?: 'account' | 'declarative-policy' | undefined;
}

/** GetConsoleScreenshot's picture (AWS sends a JPG; the type is read from the bytes). */
export interface ConsoleScreenshot {
  readonly mimeType: 'image/jpeg' | 'image/png';
  readonly base64: string;
}

/** A run of console lines, either ordinary output or cloud-init's host key fingerprint block (markers included). */
export interface ConsoleSegment {
  readonly text: string;
  readonly fingerprints: boolean;
}

/**
 * Splits console text into ordinary runs and fingerprint blocks, line-wise, so the panel can highlight the
 * lines that tell a new host key is genuine. A block with no END line runs to the end of the text.
 */
export function consoleSegments(text: string): ConsoleSegment[] {
  const lines = text.split('\n');
  const out: ConsoleSegment[] = [];
  let run: string[] = [];
  let inBlock = false;
  const flush = (fingerprints: boolean): void => {
    if (run.length > 0) out.push({ text: run.join('\n'), fingerprints });
    run = [];
  };
  for (const line of lines) {
    if (!inBlock && line.includes(FINGERPRINTS_BEGIN)) {
      flush(false);
      inBlock = true;
      run.push(line);
      continue;
    }
    run.push(line);
    if (inBlock && line.includes(FINGERPRINTS_END)) {
      flush(true);
      inBlock = false;
    }
  }
  flush(inBlock);
  return out;
}

/** The EC2 console page that connects to this instance (its "EC2 serial console" tab included). */
export function connectPageUrl(region: string, instanceId: string): string {
  return `https://${region}.console.aws.amazon.com/ec2/home?region=${region}#ConnectToInstance:instanceId=${instanceId}`;
}
