import { useCallback, useEffect, useRef, useState } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import type { Settings, SettingsPatch } from '../../shared/models/settings';
import { api } from '../api/api-client';
import { subscribe } from '../api/subscriptions';
import { connection } from '../api/connection';
import { toHangarError } from '../api/to-hangar-error';

export interface SettingsController {
  /** Undefined until the first answer. */
  readonly settings: Settings | undefined;
  /** Why the first load failed (the app cannot start without settings). */
  readonly loadError: HangarError | undefined;
  reload(): void;
  /** Applied at once on screen; reverted if main refuses it. Rejects with a HangarError. */
  update(patch: SettingsPatch): Promise<void>;
}

function applyPatch(settings: Settings, patch: SettingsPatch): Settings {
  return {
    ...settings,
    appearance: { ...settings.appearance, ...patch.appearance },
    ui: { ...settings.ui, ...patch.ui },
    reminders: { ...settings.reminders, ...patch.reminders },
    terminal: { ...settings.terminal, ...patch.terminal },
    ...(patch.snippets === undefined ? {} : { snippets: patch.snippets }),
  };
}

/**
 * Settings as main has them, kept current through `settings.changed` (other windows, the shell's menu).
 * While this window has its own updates in flight, pushed copies are held back, so a quick run of
 * clicks never flickers through stale intermediate states.
 */
export function useSettings(): SettingsController {
  const [settings, setSettings] = useState<Settings>();
  const [loadError, setLoadError] = useState<HangarError>();
  const confirmed = useRef<Settings | undefined>(undefined);
  const inFlight = useRef(0);

  // Sets state only when the answer arrives, so it can run straight from an effect.
  const fetchSettings = useCallback(() => {
    api.settings.get().then(
      (loaded) => {
        confirmed.current = loaded;
        setLoadError(undefined);
        if (inFlight.current === 0) setSettings(loaded);
      },
      (error: unknown) => setLoadError(toHangarError(error)),
    );
  }, []);

  const reload = useCallback(() => {
    setLoadError(undefined);
    fetchSettings();
  }, [fetchSettings]);

  useEffect(() => fetchSettings(), [fetchSettings]);
  useEffect(() => connection.onReconnect(fetchSettings), [fetchSettings]);

  useEffect(
    () =>
      subscribe.settingsChanged((next) => {
        confirmed.current = next;
        if (inFlight.current === 0) setSettings(next);
      }),
    [],
  );

  const update = useCallback(async (patch: SettingsPatch) => {
    setSettings((current) => (current ? applyPatch(current, patch) : current));
    inFlight.current += 1;
    try {
      confirmed.current = await api.settings.update(patch);
    } finally {
      inFlight.current -= 1;
      if (inFlight.current === 0 && confirmed.current) setSettings(confirmed.current);
    }
  }, []);

  return { settings, loadError, reload, update };
}
