import { z } from 'zod';
import { accountIdSchema, regionNameSchema } from './accounts';
import { instanceIdSchema } from './instance-actions';
import { grantIdSchema } from './local-grants';
import { FINGERPRINT_PATTERN, parseJumpHost, parseProxyUrl, SYSTEM_PROXY } from './ssh-route';

/** A private key Hangar holds. The key material itself stays in the keychain; this is what the UI sees. */
export interface SshKeySummary {
  readonly id: string;
  /** Usually the EC2 key pair name it belongs to (from the file name, editable). */
  readonly name: string;
  readonly type: 'ssh-ed25519' | 'ssh-rsa' | 'ecdsa-sha2-nistp256' | 'ecdsa-sha2-nistp384' | 'ecdsa-sha2-nistp521' | string;
  /** OpenSSH style: "SHA256:…". */
  readonly fingerprintSha256: string;
  /** What AWS shows for a key pair it created (RSA: SHA-1 of the PKCS#8 DER; ED25519: SHA-256 base64), when computable. */
  readonly awsFingerprint?: string;
  readonly format: 'openssh' | 'pem' | 'ppk';
  readonly encrypted: boolean;
  readonly passphraseRemembered: boolean;
  readonly comment?: string;
  readonly addedAt: string;
}

export const importKeyInputSchema = z
  .object({
    /** The key file: a file grant from the native picker (keys.pickFiles) or a drop. */
    grant: grantIdSchema,
    name: z.string().trim().min(1).max(255).optional(),
    passphrase: z.string().max(1024).optional(),
    rememberPassphrase: z.boolean().optional(),
  })
  .strict();
export type ImportKeyInput = z.infer<typeof importKeyInputSchema>;

export const keyIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

/** Per-instance connection overrides (stored in settings, keyed by instance id). */
export const connectionOverrideSchema = z
  .object({
    /** "host" or "host:port"; for instances reached through another address (VPN, bastion-forwarded port, tests). */
    host: z.string().trim().max(255).optional(),
    user: z.string().trim().max(64).regex(/^[a-z_][a-z0-9_.-]*$/i).optional(),
    keyId: keyIdSchema.optional(),
    persistent: z.boolean().optional(),
    /** ProxyJump: "user@host[:port]" of a bastion; the instance is then reached from there (its private IP by default). */
    jumpHost: z.string().trim().max(300).refine((v) => parseJumpHost(v) !== undefined, 'Write the jump host as user@host or user@host:port.').optional(),
    /** The key Hangar signs in to the jump host with (default: the instance's key). */
    jumpKeyId: keyIdSchema.optional(),
    /** The jump host's host key fingerprint, checked on every connection (fetched once and confirmed by the user). */
    jumpHostKey: z.string().regex(FINGERPRINT_PATTERN, 'A host key fingerprint looks like SHA256: and 43 letters and digits.').optional(),
    /** socks5://[user@]host[:port] or http://[user@]host[:port]: every connection to the instance (or its jump host) goes through it. */
    proxy: z.string().trim().max(300).refine((v) => v === SYSTEM_PROXY || parseProxyUrl(v) !== undefined, 'Write the proxy as socks5://host:port or http://host:port, or system.').optional(),
  })
  .strict()
  .refine((o) => o.jumpHost === undefined || o.jumpHostKey !== undefined, {
    message: "The jump host's key fingerprint is needed so that its identity is checked (Fetch it, then compare).",
    path: ['jumpHostKey'],
  });
export type ConnectionOverride = z.infer<typeof connectionOverrideSchema>;

/** A terminal's session log (issue 19): on or off, and the file it writes (or last wrote). */
export interface SessionLogState {
  readonly on: boolean;
  readonly path?: string;
  readonly timestamps: boolean;
}

/** A server's host key as read before trusting it (a jump host in the connection settings). */
export interface HostKeyProbe {
  readonly keyType: string;
  readonly fingerprintSha256: string;
}

export const openTerminalInputSchema = z
  .object({
    accountId: accountIdSchema,
    region: regionNameSchema,
    instanceId: instanceIdSchema,
    cols: z.number().int().min(2).max(1000),
    rows: z.number().int().min(1).max(500),
    /** Set after the user accepted an unverified host key: its SHA256 fingerprint. */
    acceptHostKey: z.string().max(100).optional(),
    /** 'instance-connect': sign in with a one-minute key pushed by EC2 Instance Connect (nothing stored). */
    /** 'session-manager': a shell through AWS Systems Manager Session Manager (no SSH, no open port). */
    access: z.enum(['instance-connect', 'session-manager']).optional(),
  })
  .strict();
export type OpenTerminalInput = z.infer<typeof openTerminalInputSchema>;

export interface TerminalSession {
  readonly sessionId: string;
  readonly instanceId: string;
  /** "instance name — user" */
  readonly title: string;
  readonly user: string;
  readonly host: string;
  readonly port: number;
  /** The shell runs inside tmux (or screen) and survives disconnects. */
  readonly persistent: boolean;
  readonly persistentTool?: 'tmux' | 'screen';
  /** 'session-manager': no SSH host key at all (AWS authenticates the channel); the fingerprint is empty. */
  readonly hostKey: { readonly fingerprintSha256: string; readonly verifiedBy: 'console-output' | 'user' | 'pinned' | 'session-manager' };
}

/**
 * Output of a shell, in ~16 ms batches, as the bytes the shell wrote (UTF-8 split anywhere): main never
 * decodes them, xterm does (it keeps a sequence cut between two batches). `bytes` is what the renderer
 * acknowledges for flow control.
 */
export interface TerminalDataEvent {
  readonly sessionId: string;
  readonly data: Uint8Array;
  readonly bytes: number;
}

export interface TerminalClosedEvent {
  readonly sessionId: string;
  /**
   * 'exit': the shell ended; 'lost': the link died (offer Reconnect); 'closed': the user closed it;
   * 'stopped': Hangar stopped or terminated the instance (offer Start, not Reconnect).
   */
  readonly reason: 'exit' | 'lost' | 'closed' | 'stopped';
  readonly exitCode?: number;
  readonly message?: string;
}

/** A shell still open in main: what a window that starts up (a reload, a new window) can take over. */
export interface RunningTerminal {
  readonly session: TerminalSession;
  readonly accountId: string;
  readonly region: string;
  /** The instance's name (or id), as a tab names it. */
  readonly instanceName: string;
  /** No window shows it (its window closed or reloaded): it ends unless a window attaches it within the grace period. */
  readonly detached: boolean;
}

/** A shell a window took over with `ssh.attach`. */
export interface AttachedTerminal {
  readonly session: TerminalSession;
  /** The shell's latest output (bounded, whole lines), so the new tab does not start blank. */
  readonly recentOutput: string;
}
