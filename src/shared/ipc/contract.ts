import type { InstanceSummary, RegionSummary } from '../models/ec2';
import type { AppInfo, KeychainStatus } from '../models/app-info';
import type { Settings, SettingsPatch } from '../models/settings';

/**
 * The single source of truth for what the renderer may ask of main. Every method returns a Promise.
 * Argument schemas (and with them the runtime allowlist) are in api-schemas.ts, type-checked against this.
 * Later capabilities (ssh, transfer, tunnel) add their slices here.
 */
export type Api = {
  app: {
    info(): Promise<AppInfo>;
    /** Opens an http(s) URL in the system browser. Anything else is refused in main. */
    openExternal(url: string): Promise<void>;
  };
  settings: {
    get(): Promise<Settings>;
    update(patch: SettingsPatch): Promise<Settings>;
  };
  secrets: {
    status(): Promise<KeychainStatus>;
  };
  ec2: {
    listRegions(): Promise<RegionSummary[]>;
    listInstances(region: string): Promise<InstanceSummary[]>;
  };
};

/** Streams main pushes to every window. */
export type Events = {
  'settings.changed': Settings;
  /** The web harness cannot open a browser: it reports what it would have opened (tests read this). */
  'app.externalOpened': { url: string };
};
