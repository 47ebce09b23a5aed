import { HangarError } from '../../../shared/errors/hangar-error';
import type { SavedTunnel } from '../../../shared/models/settings';
import type { SettingsStore } from '../settings/settings-store';
import { newTunnelId, type TunnelEntry } from './tunnel-registry';

const SAVED_PER_INSTANCE = 20;

/** Remembers an opened tunnel under its instance (settings.tunnels), newest first, so it can be reopened later. */
export function rememberTunnel(settings: SettingsStore, entry: TunnelEntry, extra: { folder?: string }): void {
  const f = entry.forward;
  settings.mutate((s) => {
    const existing = s.tunnels[entry.instance.instanceId] ?? [];
    const same = (t: SavedTunnel): boolean =>
      t.kind === entry.kind &&
      (entry.kind !== 'port' || (t.direction === f.spec.direction && t.remoteHost === f.spec.remoteHost && t.remotePort === f.spec.remotePort));
    const previous = existing.find(same);
    const record: SavedTunnel = {
      id: previous?.id ?? newTunnelId('saved'),
      kind: entry.kind,
      direction: f.spec.direction,
      // The port asked for, not a fallback chosen because it was busy.
      localPort: f.spec.localPort,
      remoteHost: f.spec.remoteHost,
      remotePort: f.remotePort,
      label: entry.label,
      accountId: entry.instance.accountId,
      region: entry.instance.region,
      instanceName: entry.instanceName,
      lastUsedAt: new Date().toISOString(),
      ...(extra.folder === undefined ? (previous?.folder === undefined ? {} : { folder: previous.folder }) : { folder: extra.folder }),
    };
    const rest = existing.filter((t) => !same(t));
    return { ...s, tunnels: { ...s.tunnels, [entry.instance.instanceId]: [record, ...rest].slice(0, SAVED_PER_INSTANCE) } };
  });
}

/** A remembered tunnel that still says where it goes; TUNNEL_NOT_FOUND otherwise. */
export function savedTunnel(settings: SettingsStore, instanceId: string, savedId: string): SavedTunnel & { accountId: string; region: string } {
  const saved = settings.get().tunnels[instanceId]?.find((t) => t.id === savedId);
  if (saved === undefined || saved.accountId === undefined || saved.region === undefined) {
    throw new HangarError({ code: 'TUNNEL_NOT_FOUND', message: 'That remembered tunnel is gone.', hint: 'Open it again from the instance.' });
  }
  return { ...saved, accountId: saved.accountId, region: saved.region };
}

export function forgetSavedTunnel(settings: SettingsStore, instanceId: string, savedId: string): void {
  settings.mutate((s) => {
    const rest = (s.tunnels[instanceId] ?? []).filter((t) => t.id !== savedId);
    const tunnels = { ...s.tunnels };
    if (rest.length === 0) delete tunnels[instanceId];
    else tunnels[instanceId] = rest;
    return { ...s, tunnels };
  });
}
