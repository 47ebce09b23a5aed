import type { AccountSummary, AddAccountInput, ImportProfileInput, ProfileCandidate } from '../models/accounts';
import type { InstanceSummary, RegionSummary } from '../models/ec2';
import type {
  InstanceActionInput,
  InstanceStateChange,
  InstanceTypeInfo,
  RegionScanResult,
  TerminationProtection,
} from '../models/instance-actions';
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
  accounts: {
    list(): Promise<AccountSummary[]>;
    /** Checks the keys with STS GetCallerIdentity first; only keys that work are stored (in the keychain). */
    add(input: AddAccountInput): Promise<AccountSummary>;
    /** Profiles found in ~/.aws/credentials and ~/.aws/config. */
    listProfiles(): Promise<ProfileCandidate[]>;
    importProfile(input: ImportProfileInput): Promise<AccountSummary>;
    /** Forgets the account and wipes its secrets from the keychain. */
    remove(accountId: string): Promise<void>;
    setActive(accountId: string): Promise<AccountSummary[]>;
    setDefaultRegion(accountId: string, region: string): Promise<AccountSummary>;
    /** Asks STS again who these credentials are. */
    verify(accountId: string): Promise<AccountSummary>;
  };
  ec2: {
    /** Regions enabled for the account, with readable names. */
    listRegions(accountId: string): Promise<RegionSummary[]>;
    listInstances(accountId: string, region: string): Promise<InstanceSummary[]>;
    /**
     * Every enabled region, concurrently (bounded). Each region's answer is also pushed as an
     * `ec2.regionScanned` event the moment it arrives (scanId = this call's request id); progress counts regions.
     */
    scanAllRegions(accountId: string): Promise<RegionScanResult[]>;
    instanceTypes(accountId: string, region: string, types: string[]): Promise<InstanceTypeInfo[]>;
    terminationProtection(accountId: string, region: string, instanceIds: string[]): Promise<TerminationProtection[]>;
    act(input: InstanceActionInput): Promise<InstanceStateChange[]>;
  };
};

/** Streams main pushes to every window. */
export type Events = {
  'settings.changed': Settings;
  /** The web harness cannot open a browser: it reports what it would have opened (tests read this). */
  'app.externalOpened': { url: string };
  'accounts.changed': AccountSummary[];
  'ec2.regionScanned': RegionScanResult;
};
