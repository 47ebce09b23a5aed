import { z } from 'zod';

/** Sections of the sidebar, in order. */
export const SECTIONS = ['accounts', 'instances', 'transfers', 'tunnels', 'costs'] as const;
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

/** The current settings schema. Bump SETTINGS_VERSION and add a migration when it changes shape. */
export const SETTINGS_VERSION = 2;

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  appearance: z.object({ theme: themeSchema }),
  ui: z.object({
    lastSection: z.enum(SECTIONS),
    sidebarCollapsed: z.boolean(),
  }),
  window: windowStateSchema.optional(),
  accounts: z.array(accountRecordSchema).max(100),
  activeAccountId: z.string().optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  appearance: { theme: 'system' },
  ui: { lastSection: 'instances', sidebarCollapsed: false },
  accounts: [],
};

/** What the renderer may change. Window geometry belongs to the shell and is not patchable from a page. */
export const settingsPatchSchema = z
  .object({
    appearance: z.object({ theme: themeSchema }).partial().strict(),
    ui: z
      .object({ lastSection: z.enum(SECTIONS), sidebarCollapsed: z.boolean() })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
