import { z } from 'zod';

/** Sections of the sidebar, in order. */
export const SECTIONS = ['accounts', 'instances', 'transfers', 'tunnels', 'costs', 'images'] as const;
export type Section = (typeof SECTIONS)[number];

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof themeSchema>;

export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

/**
 * An account as settings keep it: everything but secrets. The access key id, secret and session token
 * are in the keychain under keys from secret-keys.ts.
 */
export const accountRecordSchema = z.object({
  id: z.string().min(1).max(64),
  label: z.string().max(80),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('keys'), accessKeyIdHint: z.string().max(32), hasSessionToken: z.boolean() }),
    z.object({
      kind: z.literal('profile'),
      profile: z.string().min(1).max(128),
      profileType: z.enum(['static', 'assume-role', 'sso', 'process', 'other']),
    }),
  ]),
  awsAccountId: z.string().max(32).optional(),
  arn: z.string().max(2048).optional(),
  defaultRegion: z.string().max(32),
  addedAt: z.string(),
});
export type AccountRecord = z.infer<typeof accountRecordSchema>;

/** A private key's non-secret facts; the key (and a remembered passphrase) are in the keychain. */
export const sshKeyRecordSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(255),
  type: z.string().max(64),
  fingerprintSha256: z.string().max(128),
  awsFingerprint: z.string().max(128).optional(),
  format: z.enum(['openssh', 'pem', 'ppk']),
  encrypted: z.boolean(),
  passphraseRemembered: z.boolean(),
  comment: z.string().max(1024).optional(),
  addedAt: z.string(),
});
export type SshKeyRecord = z.infer<typeof sshKeyRecordSchema>;

/** A host key pinned to an instance id (not an IP: EC2 recycles public IPs). */
export const hostKeyPinSchema = z.object({
  keyType: z.string().max(64),
  fingerprintSha256: z.string().max(128),
  verifiedBy: z.enum(['console-output', 'user']),
  pinnedAt: z.string(),
});
export type HostKeyPin = z.infer<typeof hostKeyPinSchema>;

export const instanceConnectionSchema = z.object({
  host: z.string().max(255).optional(),
  user: z.string().max(64).optional(),
  keyId: z.string().max(64).optional(),
  persistent: z.boolean().optional(),
  /** The route (issue 19): jump host, its key and pinned fingerprint, a proxy URL. Validated on the way in (ssh.ts). */
  jumpHost: z.string().max(300).optional(),
  jumpKeyId: z.string().max(64).optional(),
  jumpHostKey: z.string().max(128).optional(),
  proxy: z.string().max(300).optional(),
  /** The user name that last worked, learned by trying the AMI's candidates. */
  rememberedUser: z.string().max(64).optional(),
});
export type InstanceConnection = z.infer<typeof instanceConnectionSchema>;

/** A tunnel remembered per instance so it can be reopened with one click (issue 6). */
export const savedTunnelSchema = z.object({
  id: z.string().min(1).max(64),
  kind: z.enum(['jupyter', 'tensorboard', 'port']),
  direction: z.enum(['local', 'remote']),
  localPort: z.number().int().min(0).max(65535),
  remoteHost: z.string().max(255),
  remotePort: z.number().int().min(0).max(65535),
  label: z.string().max(255).optional(),
  /** Jupyter folder / TensorBoard logdir used when Hangar started the server. */
  folder: z.string().max(4096).optional(),
  /** Where the instance lives, so the tunnel can be reopened from the Tunnels panel alone. */
  accountId: z.string().max(64).optional(),
  region: z.string().max(32).optional(),
  instanceName: z.string().max(256).optional(),
  lastUsedAt: z.string(),
});
export type SavedTunnel = z.infer<typeof savedTunnelSchema>;

/**
 * Reminders about money still being spent (issue 13): a GPU instance running longer than `hours`, and the
 * account's running instances costing more than `dollarsPerHour`. They only remind; nothing is stopped.
 */
export const reminderSettingsSchema = z.object({
  gpuHours: z.object({ enabled: z.boolean(), hours: z.number().min(1).max(720) }),
  burnRate: z.object({ enabled: z.boolean(), dollarsPerHour: z.number().min(0.01).max(100_000) }),
});
export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;

/**
 * The Instances table's optional columns shown (the name is always there), by column key. Keys the
 * renderer no longer knows are ignored, so an older or newer app's choice never breaks the table.
 */
export const instanceColumnsSchema = z.array(z.string().regex(/^[A-Za-z]{1,32}$/)).max(32);
/** What fits at the default window size: what a user decides by (state, type, region, price). */
export const DEFAULT_INSTANCE_COLUMNS: readonly string[] = ['state', 'type', 'az', 'price'];

/** A saved command run into a terminal from the palette (issue 19); `{name}` parts are asked for first. */
export const snippetSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().trim().min(1).max(80),
  text: z.string().min(1).max(4000),
});
export type Snippet = z.infer<typeof snippetSchema>;
export const snippetsSchema = z.array(snippetSchema).max(200);

/** What a new user finds in the palette: the commands the guides have them type most. */
export const DEFAULT_SNIPPETS: readonly Snippet[] = [
  { id: 'gpu-watch', name: 'Watch GPU use', text: 'watch -n 1 nvidia-smi' },
  { id: 'disk-free', name: 'Free disk space', text: 'df -h' },
  { id: 'disk-usage', name: 'Disk usage of a folder', text: 'du -sh {folder}/* | sort -h' },
  { id: 'tmux-attach', name: 'Attach to tmux', text: 'tmux attach || tmux new' },
  { id: 'tail-log', name: 'Follow a log file', text: 'tail -f {file}' },
];

/** Terminal preferences: session logs for every tab (issue 19). */
export const terminalSettingsSchema = z.object({ logAlways: z.boolean(), logTimestamps: z.boolean() });
export type TerminalSettings = z.infer<typeof terminalSettingsSchema>;

/** The current settings schema. Bump SETTINGS_VERSION and add a migration when it changes shape. */
export const SETTINGS_VERSION = 8;

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  appearance: z.object({ theme: themeSchema }),
  ui: z.object({
    lastSection: z.enum(SECTIONS),
    sidebarCollapsed: z.boolean(),
    instanceColumns: instanceColumnsSchema,
  }),
  window: windowStateSchema.optional(),
  accounts: z.array(accountRecordSchema).max(100),
  activeAccountId: z.string().optional(),
  sshKeys: z.array(sshKeyRecordSchema).max(500),
  hostKeys: z.record(z.string(), hostKeyPinSchema),
  connections: z.record(z.string(), instanceConnectionSchema),
  tunnels: z.record(z.string(), z.array(savedTunnelSchema).max(50)),
  reminders: reminderSettingsSchema,
  terminal: terminalSettingsSchema,
  snippets: snippetsSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  appearance: { theme: 'system' },
  ui: { lastSection: 'instances', sidebarCollapsed: false, instanceColumns: [...DEFAULT_INSTANCE_COLUMNS] },
  accounts: [],
  sshKeys: [],
  hostKeys: {},
  connections: {},
  tunnels: {},
  // Off until the user turns them on (Accounts → Reminders): a reminder nobody asked for is noise.
  reminders: { gpuHours: { enabled: false, hours: 12 }, burnRate: { enabled: false, dollarsPerHour: 5 } },
  terminal: { logAlways: false, logTimestamps: false },
  snippets: [...DEFAULT_SNIPPETS],
};

/** What the renderer may change. Window geometry belongs to the shell and is not patchable from a page. */
export const settingsPatchSchema = z
  .object({
    appearance: z.object({ theme: themeSchema }).partial().strict(),
    ui: z
      .object({ lastSection: z.enum(SECTIONS), sidebarCollapsed: z.boolean(), instanceColumns: instanceColumnsSchema })
      .partial()
      .strict(),
    reminders: z
      .object({ gpuHours: reminderSettingsSchema.shape.gpuHours.strict(), burnRate: reminderSettingsSchema.shape.burnRate.strict() })
      .partial()
      .strict(),
    terminal: terminalSettingsSchema.partial().strict(),
    /** The whole list: the palette edits it as one. */
    snippets: snippetsSchema,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
