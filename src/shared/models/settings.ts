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

/** The current settings schema. Bump SETTINGS_VERSION and add a migration when it changes shape. */
export const SETTINGS_VERSION = 1;

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  appearance: z.object({ theme: themeSchema }),
  ui: z.object({
    lastSection: z.enum(SECTIONS),
    sidebarCollapsed: z.boolean(),
  }),
  window: windowStateSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  appearance: { theme: 'system' },
  ui: { lastSection: 'instances', sidebarCollapsed: false },
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
