import type { z } from 'zod';
import {
  accountRecordSchema,
  DEFAULT_SETTINGS,
  hostKeyPinSchema,
  instanceConnectionSchema,
  savedTunnelSchema,
  snippetSchema,
  settingsSchema,
  sshKeyRecordSchema,
  SETTINGS_VERSION,
  type Settings,
} from '../../../shared/models/settings';

export interface Salvaged {
  readonly settings: Settings;
  /** What could not be kept, in words for the user; empty when the document was whole. */
  readonly notes: readonly string[];
}

const shape = settingsSchema.shape;

function items<T>(raw: unknown, schema: z.ZodType<T>, max: number): { kept: T[]; bad: number } {
  if (!Array.isArray(raw)) return { kept: [], bad: raw === undefined ? 0 : 1 };
  const kept: T[] = [];
  let bad = 0;
  for (const item of raw) {
    const parsed = schema.safeParse(item);
    if (parsed.success && kept.length < max) kept.push(parsed.data);
    else bad += 1;
  }
  return { kept, bad };
}

function entries<T>(raw: unknown, schema: z.ZodType<T>): { kept: Record<string, T>; badKeys: string[] } {
  const kept: Record<string, T> = {};
  const badKeys: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { kept, badKeys: raw === undefined ? [] : ['(all)'] };
  for (const [key, value] of Object.entries(raw)) {
    const parsed = schema.safeParse(value);
    if (parsed.success) kept[key] = parsed.data;
    else badKeys.push(key);
  }
  return { kept, badKeys };
}

/** Field by field: a bad column list must not also forget the section the window was on. */
function uiSection(raw: unknown, notes: string[]): Settings['ui'] {
  const whole = shape.ui.safeParse(raw);
  if (whole.success) return whole.data;
  const fallback = DEFAULT_SETTINGS.ui;
  if (raw === undefined) return fallback;
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const ui = shape.ui.shape;
  const lastSection = ui.lastSection.safeParse(fields.lastSection);
  const sidebarCollapsed = ui.sidebarCollapsed.safeParse(fields.sidebarCollapsed);
  const instanceColumns = ui.instanceColumns.safeParse(fields.instanceColumns);
  notes.push(`Layout settings could not all be read; ${instanceColumns.success ? 'some were' : 'the chosen Instances columns were'} reset.`);
  return {
    lastSection: lastSection.success ? lastSection.data : fallback.lastSection,
    sidebarCollapsed: sidebarCollapsed.success ? sidebarCollapsed.data : fallback.sidebarCollapsed,
    instanceColumns: instanceColumns.success ? instanceColumns.data : fallback.instanceColumns,
  };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Reads a (migrated) settings document section by section and record by record, so one bad record never
 * costs the rest: accounts, keys and — above all — host-key pins that are fine are kept, and what is not
 * is named. Whole-document validation would reset everything (pins back to trust-on-first-use) for one typo.
 */
export function salvageSettings(doc: Record<string, unknown>): Salvaged {
  const notes: string[] = [];
  const section = <K extends 'appearance' | 'reminders' | 'terminal'>(key: K, label: string): Settings[K] => {
    const parsed = (shape[key] as unknown as z.ZodType<Settings[K]>).safeParse(doc[key]);
    if (parsed.success) return parsed.data;
    if (doc[key] !== undefined) notes.push(`${label} could not be read and were reset.`);
    return DEFAULT_SETTINGS[key];
  };
  const accounts = items(doc.accounts, accountRecordSchema, 100);
  if (accounts.bad > 0) notes.push(`${plural(accounts.bad, 'account')} could not be read and ${accounts.bad === 1 ? 'is' : 'are'} not listed; add ${accounts.bad === 1 ? 'it' : 'them'} again.`);
  const sshKeys = items(doc.sshKeys, sshKeyRecordSchema, 500);
  if (sshKeys.bad > 0) notes.push(`${plural(sshKeys.bad, 'SSH key record')} could not be read; import the key again if it is missing.`);
  const hostKeys = entries(doc.hostKeys, hostKeyPinSchema);
  if (hostKeys.badKeys.length > 0) {
    notes.push(
      `The pinned host key of ${hostKeys.badKeys.join(', ')} could not be read. Hangar will show that instance’s key and ask before trusting it again.`,
    );
  }
  const connections = entries(doc.connections, instanceConnectionSchema);
  if (connections.badKeys.length > 0) notes.push(`Connection settings of ${connections.badKeys.join(', ')} could not be read and were reset.`);
  const tunnels = entries(doc.tunnels, savedTunnelSchema.array().max(50));
  if (tunnels.badKeys.length > 0) notes.push(`Remembered tunnels of ${tunnels.badKeys.join(', ')} could not be read.`);
  const snippets = items(doc.snippets, snippetSchema, 200);
  if (snippets.bad > 0) notes.push(`${plural(snippets.bad, 'snippet')} could not be read and ${snippets.bad === 1 ? 'was' : 'were'} left out.`);
  const window = shape.window.safeParse(doc.window);
  const active = typeof doc.activeAccountId === 'string' && accounts.kept.some((a) => a.id === doc.activeAccountId) ? doc.activeAccountId : undefined;
  const settings: Settings = {
    version: SETTINGS_VERSION,
    appearance: section('appearance', 'Appearance settings'),
    ui: uiSection(doc.ui, notes),
    ...(window.success && window.data !== undefined ? { window: window.data } : {}),
    accounts: accounts.kept,
    ...(active === undefined ? {} : { activeAccountId: active }),
    sshKeys: sshKeys.kept,
    hostKeys: hostKeys.kept,
    connections: connections.kept,
    tunnels: tunnels.kept,
    reminders: section('reminders', 'Reminder settings'),
    terminal: section('terminal', 'Terminal settings'),
    snippets: doc.snippets === undefined ? [...DEFAULT_SETTINGS.snippets] : snippets.kept,
  };
  return { settings, notes };
}
