import type { ClusterRef, ClusterSetupInput, ClusterSetupReport, RemoveNodeInput } from '../models/cluster';
import type { SlurmCluster, SlurmJobRef, SlurmJobs, SlurmSubmit } from '../models/slurm';
import type { RunCommandInput, RunInfo, RunOutputEvent } from '../models/run-many';
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
import type { LocalGrant } from '../models/local-grants';
import type { Settings, SettingsPatch } from '../models/settings';
import type {
  AttachedTerminal,
  ConnectionOverride,
  HostKeyProbe,
  SessionLogState,
  ImportKeyInput,
  OpenTerminalInput,
  RunningTerminal,
  SshKeySummary,
  TerminalClosedEvent,
  TerminalDataEvent,
  TerminalSession,
} from '../models/ssh';
import type {
  ConflictAnswer,
  InstanceRef,
  RemoteListing,
  StartDownloadInput,
  StartUploadInput,
  TransferJob,
} from '../models/transfers';
import type {
  CreateKeyPairInput,
  CreateSshGroupInput,
  DryRunResult,
  ImageCatalog,
  ImportKeyPairInput,
  KeyPairInfo,
  LaunchedInstance,
  LaunchImage,
  LaunchRequest,
  LaunchTypeOption,
  NetworkInfo,
  RegionScope,
  SecurityGroupInfo,
  SshProbe,
  SsmProfileStatus,
  UpdateMyIpInput,
  VcpuQuotaInfo,
} from '../models/launch';
import type { AutoStopInput, AutoStopStatus, IdleAlarm } from '../models/auto-stop';
import type { InstanceMetrics } from '../models/metrics';
import type { WindowsPassword } from '../models/windows';
import type { WaysIn } from '../models/ways-in';
import type { Reminder } from '../models/reminders';
import type { ActualSpend, BudgetInfo, BudgetInput, CleanupItem, CleanupResult, LedgerOptions, LedgerRegionResult } from '../models/costs';
import type { ConsoleScreenshot, ConsoleView } from '../models/console-output';
import type { AddRuleInput, FirewallGroup, InstanceFirewall, RemoveRuleInput } from '../models/firewall';
import type { AddressInput, AllocateAddressInput, AssociateAddressInput, ElasticIp, ElasticIpList } from '../models/elastic-ips';
import type { ForwardPortInput, JupyterServerInfo, OpenJupyterInput, OpenTensorBoardInput, TunnelInfo } from '../models/tunnels';
import type {
  CopyImageInput,
  CopyResult,
  CopySnapshotInput,
  CreateImageInput,
  CreateSnapshotInput,
  DeregisterImageInput,
  DeregisterResult,
  DoomedVolume,
  ImageInfo,
  ImageInput,
  ImageSharing,
  ImagesOverview,
  InstancesInput,
  RestoreSnapshotInput,
  ShareImageInput,
  SnapshotInfo,
  SnapshotInput,
} from '../models/images';
import type {
  AddVolumeInput,
  ChangeTypeInput,
  TypeChangeChoices,
  TypeChangeResult,
  DeleteOnTerminationInput,
  GrowFilesystemInput,
  GrowResult,
  GrowVolumeInput,
  StorageInstance,
  StorageProgress,
  StorageView,
  VolumeInput,
} from '../models/storage';

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
    /** What start-up had to recover (a damaged settings file, unreadable records), in words for the user. */
    recoveryNotes(): Promise<string[]>;
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
  keys: {
    list(): Promise<SshKeySummary[]>;
    /** Lets the user choose key files with the native picker; resolves with grants for them (empty when cancelled). */
    pickFiles(): Promise<LocalGrant[]>;
    /**
     * Reads a key file (a grant) in main: OpenSSH, PEM, PuTTY .ppk; encrypted ones need the passphrase
     * (SSH_KEY_PASSPHRASE_NEEDED). A path that was not granted: LOCAL_PATH_NOT_GRANTED.
     */
    import(input: ImportKeyInput): Promise<SshKeySummary>;
    rename(keyId: string, name: string): Promise<SshKeySummary>;
    /** Gives the passphrase of an imported encrypted key (after SSH_KEY_PASSPHRASE_NEEDED from ssh.open). */
    unlock(keyId: string, passphrase: string, remember: boolean): Promise<SshKeySummary>;
    /** Removes the key and its remembered passphrase from the keychain. */
    remove(keyId: string): Promise<void>;
  };
  ssh: {
    getOverride(instanceId: string): Promise<ConnectionOverride>;
    setOverride(instanceId: string, override: ConnectionOverride): Promise<ConnectionOverride>;
    /** Unpins the instance's host key: for an instance that was re-created; the next connect verifies afresh. */
    forgetHostKey(instanceId: string): Promise<void>;
    /** Reads a server's host key without signing in (a jump host, before it is trusted), through the proxy when given. */
    probeHostKey(host: string, port: number, proxy: string | null, instanceId: string | null): Promise<HostKeyProbe>;
    /** Keeps the instance's proxy password in the keychain (null forgets it); it is never sent back to a window. */
    setProxyPassword(instanceId: string, password: string | null): Promise<void>;
    hasProxyPassword(instanceId: string): Promise<boolean>;
    /** Session log on/off for a terminal (output only, plain text, owner-only file); timestamps per line. */
    setLogging(sessionId: string, on: boolean, timestamps: boolean): Promise<SessionLogState>;
    logState(sessionId: string): Promise<SessionLogState>;
    /** Opens the terminal's session log with the system's viewer. */
    openLog(sessionId: string): Promise<void>;
    /**
     * Opens a shell in a new tab's session. Unknown host keys that the console output cannot vouch for
     * fail with SSH_HOST_KEY_UNKNOWN (details: fingerprint); call again with acceptHostKey to trust it.
     */
    open(input: OpenTerminalInput): Promise<TerminalSession>;
    write(sessionId: string, data: string): Promise<void>;
    resize(sessionId: string, cols: number, rows: number): Promise<void>;
    /** Flow control: the renderer has written this many more bytes into xterm. */
    ack(sessionId: string, bytes: number): Promise<void>;
    /** Reopens a lost session in place (reattaching tmux when persistent). */
    reconnect(sessionId: string, cols: number, rows: number): Promise<TerminalSession>;
    /** True when something other than the login shell is running (ask before closing). */
    busy(sessionId: string): Promise<boolean>;
    /** The shell's current directory, when it can be learned (a file dropped on the tab goes there). */
    cwd(sessionId: string): Promise<string | undefined>;
    close(sessionId: string): Promise<void>;
    /** The shells still open, whichever window opened them; `detached` ones wait for a window to attach them. */
    list(): Promise<RunningTerminal[]>;
    /** Takes a shell over for this window (its output comes here from now on), e.g. after a reload. */
    attach(sessionId: string): Promise<AttachedTerminal>;
  };
  transfers: {
    list(): Promise<TransferJob[]>;
    /**
     * Queues the upload of granted files and folders and returns at once; progress arrives as
     * `transfers.changed` events. Anything not granted: LOCAL_PATH_NOT_GRANTED, nothing queued.
     */
    upload(input: StartUploadInput): Promise<TransferJob>;
    /** Into a folder grant (pickDownloadFolder); the job's `destination` is that folder's path. */
    download(input: StartDownloadInput): Promise<TransferJob>;
    pause(jobId: string): Promise<TransferJob>;
    resume(jobId: string): Promise<TransferJob>;
    cancel(jobId: string): Promise<TransferJob>;
    cancelAll(): Promise<void>;
    retryFailed(jobId: string): Promise<TransferJob>;
    resolveConflict(jobId: string, answer: ConflictAnswer): Promise<TransferJob>;
    clearFinished(jobId?: string): Promise<void>;
    /** The native picker for what to upload: files, or one folder (platforms cannot mix both in one dialog). Grants. */
    pickUpload(kind: 'files' | 'folder'): Promise<LocalGrant[]>;
    /** The native folder picker for where downloads go: a folder grant; undefined when cancelled. */
    pickDownloadFolder(): Promise<LocalGrant | undefined>;
  };
  files: {
    home(instance: InstanceRef): Promise<string>;
    list(instance: InstanceRef, path: string): Promise<RemoteListing>;
    mkdir(instance: InstanceRef, path: string): Promise<void>;
    rename(instance: InstanceRef, from: string, to: string): Promise<void>;
    /** Files and folders (folders recursively). */
    remove(instance: InstanceRef, paths: string[]): Promise<void>;
  };
  tunnels: {
    list(): Promise<TunnelInfo[]>;
    /** Running Jupyter servers on the instance (their tokens stay in main). */
    discoverJupyter(instance: InstanceRef): Promise<{ installed: boolean; servers: JupyterServerInfo[] }>;
    /**
     * Forwards the instance's Jupyter and opens it (with its token) in the browser. None running:
     * JUPYTER_NOT_RUNNING unless `start`; not installed: JUPYTER_NOT_INSTALLED (hint: the install command).
     */
    openJupyter(input: OpenJupyterInput): Promise<TunnelInfo>;
    /** Port 6006; TENSORBOARD_NOT_RUNNING unless `start` (then `tensorboard --logdir` in tmux). */
    openTensorBoard(input: OpenTensorBoardInput): Promise<TunnelInfo>;
    /** Any port, local → instance or instance → local. */
    forward(input: ForwardPortInput): Promise<TunnelInfo>;
    close(tunnelId: string): Promise<void>;
    /** Reopens a tunnel remembered for the instance (`settings.tunnels[instanceId]`). */
    reopen(instanceId: string, savedId: string, acceptHostKey?: string): Promise<TunnelInfo>;
    forget(instanceId: string, savedId: string): Promise<void>;
  };
  launch: {
    /** Presets resolved through SSM public parameters in the region, plus the account's own AMIs. */
    images(scope: RegionScope): Promise<ImageCatalog>;
    /** Public images by name (wildcards allowed) or an AMI id. */
    searchImages(scope: RegionScope, query: string): Promise<LaunchImage[]>;
    /** Types offered in the region for the architecture, cheapest first, with approximate on-demand prices. */
    instanceTypes(scope: RegionScope, architecture: string): Promise<LaunchTypeOption[]>;
    vcpuQuota(scope: RegionScope, instanceType: string, spot: boolean): Promise<VcpuQuotaInfo>;
    spotPrice(scope: RegionScope, instanceType: string): Promise<{ price: number; availabilityZone: string } | undefined>;
    keyPairs(scope: RegionScope): Promise<KeyPairInfo[]>;
    /** The private key goes straight into the keychain (as a Hangar key named like the pair). */
    createKeyPair(input: CreateKeyPairInput): Promise<KeyPairInfo>;
    importKeyPair(input: ImportKeyPairInput): Promise<KeyPairInfo>;
    /** Save .pem…: the native save dialog, then the key written owner-only (0600). Resolves with the path, undefined when cancelled. */
    saveKeyFile(keyId: string, suggestedName: string): Promise<string | undefined>;
    network(scope: RegionScope): Promise<NetworkInfo>;
    /** IP_ECHO_UNREACHABLE when offline (the UI then asks for the address). */
    myIp(): Promise<string>;
    createSshGroup(input: CreateSshGroupInput): Promise<SecurityGroupInfo>;
    updateMyIp(input: UpdateMyIpInput): Promise<SecurityGroupInfo>;
    /** Update my IP on the Hangar-made SSH groups of an instance (from a terminal's "port 22 timed out"). */
    updateMyIpForInstance(instance: InstanceRef): Promise<SecurityGroupInfo[]>;
    dryRun(request: LaunchRequest): Promise<DryRunResult>;
    launch(request: LaunchRequest): Promise<LaunchedInstance[]>;
    probeSsh(instance: InstanceRef): Promise<SshProbe>;
    /** Whether the Session Manager launch's instance profile (hangar-ssm-instance) is ready or would be created. */
    ssmProfile(scope: RegionScope): Promise<SsmProfileStatus>;
  };
  /** "Stop when idle for N minutes": the CloudWatch alarm and the on-instance watcher (issue 13). */
  autoStop: {
    /** The instance's alarm, and its watcher as seen over SSH while it runs (or why that did not work). */
    status(instance: InstanceRef): Promise<AutoStopStatus>;
    /** Puts the rule in place; N < 5 min or a CPU % outside 0–100 is refused (INVALID_ARGUMENT). */
    enable(input: AutoStopInput): Promise<AutoStopStatus>;
    /** Deletes the alarm and removes the watcher when the instance can be reached. */
    disable(instance: InstanceRef): Promise<AutoStopStatus>;
    /** Hangar's idle alarms of a region, with their state (for the badge on the instance rows). */
    listAlarms(accountId: string, region: string): Promise<IdleAlarm[]>;
    /** Why a stopped instance stopped, when Hangar's watcher stopped it (from its console output). */
    stopReason(instance: InstanceRef): Promise<string | undefined>;
  };
  /** The ways into instances (issue 15): what the row shows and what Connect picks. */
  access: {
    /** For each instance, best first; decided from AWS and the keychain without connecting (cached about 30 s). */
    waysIn(instances: InstanceRef[]): Promise<WaysIn[]>;
  };
  /** Windows instances (issue 15): the Administrator password and Remote Desktop. */
  windows: {
    /**
     * GetPasswordData, decrypted in main with the RSA key pair's private key from the keychain. Not ready yet:
     * WINDOWS_PASSWORD_NOT_READY; no key held: SSH_KEY_MISSING (details.keyName); an ED25519 key:
     * WINDOWS_PASSWORD_UNAVAILABLE. The password is shown once and never logged.
     */
    password(instance: InstanceRef): Promise<WindowsPassword>;
    /** Writes a .rdp file (address, user Administrator, no password) and opens it with the system's client. */
    openRdp(instance: InstanceRef): Promise<void>;
  };
  metrics: {
    /** CloudWatch CPU utilisation and network in/out of the last 3 h, 5-minute points (cloudwatch:GetMetricData). */
    instance(instance: InstanceRef): Promise<InstanceMetrics>;
  };
  /** An instance's console: the first thing to look at when SSH does not answer. */
  console: {
    /** GetConsoleOutput (the latest, where the type has it), decoded, and whether the serial console is enabled. */
    view(instance: InstanceRef): Promise<ConsoleView>;
    /** GetConsoleScreenshot of a running instance. */
    screenshot(instance: InstanceRef): Promise<ConsoleScreenshot>;
  };
  /** An instance's security groups' inbound rules, rule by rule. */
  firewall: {
    rules(instance: InstanceRef): Promise<InstanceFirewall>;
    /** A malformed, duplicate or overlapping source is refused (INVALID_ARGUMENT / AWS_ALREADY_EXISTS). Resolves with the group as it is now. */
    addRule(input: AddRuleInput): Promise<FirewallGroup>;
    removeRule(input: RemoveRuleInput): Promise<FirewallGroup>;
  };
  /** Elastic IPs of a region: allocate, attach to an instance, detach, release. */
  elasticIps: {
    list(scope: RegionScope): Promise<ElasticIpList>;
    allocate(input: AllocateAddressInput): Promise<ElasticIp>;
    associate(input: AssociateAddressInput): Promise<ElasticIp>;
    disassociate(input: AddressInput): Promise<ElasticIp>;
    release(input: AddressInput): Promise<void>;
  };
  clusters: {
    /** Sets the nodes up as one cluster over SSH (hosts, keys, known_hosts, hostfile); progress as clusters.progress. */
    setUp(input: ClusterSetupInput): Promise<ClusterSetupReport>;
    /** Launches one more node like master, waits for SSH, then sets every node up again (progress as clusters.progress). */
    addNode(input: ClusterRef): Promise<ClusterSetupReport>;
    /** Terminates a worker (never master) and sets the others up again without it. */
    removeNode(input: RemoveNodeInput): Promise<ClusterSetupReport>;
    /** Slurm on every running node (munge, slurmctld on master, slurmd everywhere); progress as clusters.progress. */
    slurmSetUp(input: SlurmCluster): Promise<ClusterSetupReport>;
    /** The script goes to master's ~/hangar-jobs and sbatch runs it; SLURM_REJECTED carries sbatch's words. */
    slurmSubmit(input: SlurmSubmit): Promise<{ jobId: string }>;
    slurmJobs(input: SlurmCluster): Promise<SlurmJobs>;
    slurmCancel(input: SlurmJobRef): Promise<void>;
    slurmOutput(input: SlurmJobRef): Promise<{ path: string; text: string }>;
  };
  /** Snapshots and AMIs of a region (issue 14). */
  images: {
    /** The account's own AMIs, snapshots (with progress and the AMI holding each) and volumes. */
    overview(scope: RegionScope): Promise<ImagesOverview>;
    /** The region's availability zones (where a snapshot can be restored). */
    zones(scope: RegionScope): Promise<string[]>;
    /** CreateSnapshot of a volume, tagged hangar:created-by; resolves while it is pending. */
    createSnapshot(input: CreateSnapshotInput): Promise<SnapshotInfo>;
    /** CopySnapshot, sent to the destination region. */
    copySnapshot(input: CopySnapshotInput): Promise<CopyResult>;
    /** A snapshot an AMI holds is refused with AWS_RESOURCE_IN_USE naming the AMI. */
    deleteSnapshot(input: SnapshotInput): Promise<void>;
    /** A new volume from the snapshot in the chosen availability zone (CreateVolume). */
    restoreSnapshot(input: RestoreSnapshotInput): Promise<{ volumeId: string; availabilityZone: string }>;
    /** CreateImage of an instance (reboot or not); resolves with the AMI while it is pending. */
    createImage(input: CreateImageInput): Promise<ImageInfo>;
    /** CopyImage, sent to the destination region. */
    copyImage(input: CopyImageInput): Promise<CopyResult>;
    /** DeregisterImage, then DeleteSnapshot for each of its snapshots when asked. */
    deregisterImage(input: DeregisterImageInput): Promise<DeregisterResult>;
    sharing(input: ImageInput): Promise<ImageSharing>;
    /** Launch permission and each snapshot's create-volume permission for the accounts, both. */
    shareImage(input: ShareImageInput): Promise<ImageSharing>;
    /** Takes every account (and public) off the AMI and its snapshots. */
    makeImagePrivate(input: ImageInput): Promise<ImageSharing>;
    /** The volumes terminating these instances would delete. */
    doomedVolumes(input: InstancesInput): Promise<DoomedVolume[]>;
    /** A snapshot of each of those volumes; resolves once AWS accepted every one (pending at least). */
    snapshotBeforeTerminate(input: InstancesInput): Promise<SnapshotInfo[]>;
  };
  /** An instance's volumes (issue 14): the OS's view, grow, add, detach, delete; progress as storage.progress. */
  storage: {
    /** DescribeVolumes of the instance, joined with lsblk / df over SSH when it runs (osError says why not). */
    view(input: StorageInstance): Promise<StorageView>;
    /** ModifyVolume (size, type, IOPS, throughput), followed to optimizing, then growpart + resize2fs / xfs_growfs over SSH. */
    grow(input: GrowVolumeInput): Promise<GrowResult>;
    /** The partition and filesystem only, for a volume that grew already. */
    growFilesystem(input: GrowFilesystemInput): Promise<GrowResult>;
    /** CreateVolume in the instance's zone, AttachVolume, and (asked first) format + mount + fstab by UUID with nofail. */
    addVolume(input: AddVolumeInput): Promise<StorageView>;
    /** AttachVolume of an available volume (same zone; another zone: STORAGE_ZONE_MISMATCH) at the next free device name. */
    attachVolume(input: VolumeInput): Promise<StorageView>;
    /** Unmounts (fstab line removed) when the instance runs, then DetachVolume. */
    detachVolume(input: VolumeInput): Promise<StorageView>;
    deleteVolume(input: VolumeInput): Promise<void>;
    setDeleteOnTermination(input: DeleteOnTerminationInput): Promise<StorageView>;
    /** Change type…: types offered in the instance's zone for its architecture, with prices; each said when it cannot run it (ENA/NVMe). */
    typeChoices(input: StorageInstance): Promise<TypeChangeChoices>;
    /** ModifyInstanceAttribute while stopped; with restart, a running instance is stopped, changed and started again. */
    changeType(input: ChangeTypeInput): Promise<TypeChangeResult>;
  };
  runs: {
    /** Runs a command on many instances at once over SSH (issue 16); output and states arrive as runs.* events. */
    start(input: RunCommandInput): Promise<RunInfo>;
    /** The run with each host's latest output (a window that opens late, or after a reload). */
    get(runId: string): Promise<RunInfo>;
    cancel(runId: string): Promise<RunInfo>;
    /** A new run of the same command on the hosts that failed or were cancelled. */
    rerunFailed(runId: string): Promise<RunInfo>;
  };
  reminders: {
    /** What the banner shows: long-running GPU instances, the burn rate, what ran while Hangar was closed. */
    list(): Promise<Reminder[]>;
    /** Reminders raised since any window last took them, each handed out once: notify about these. */
    takeNew(): Promise<Reminder[]>;
    /** Off the banner for this session; not told again while its cause lasts. */
    dismiss(key: string): Promise<Reminder[]>;
  };
  costs: {
    /**
     * Everything that bills in every region of these accounts (the active one, or all). Each region's part is
     * also pushed as a `costs.ledgerRegion` event the moment it is ready (scanId = this call's request id);
     * progress counts regions. Regions not enabled come back as skipped, failing ones with their error.
     */
    ledger(accountIds: string[], options: LedgerOptions): Promise<LedgerRegionResult[]>;
    /**
     * Deletes / releases / stops / terminates ledger rows: a dry run first names missing permissions, then each
     * item is done on its own, past failures, each with its reason and fix. `dryRunOnly` changes nothing.
     */
    cleanup(items: CleanupItem[], dryRunOnly: boolean): Promise<CleanupResult[]>;
    /** The last Cost Explorer answer kept on disk (no AWS call); undefined if never asked. */
    cachedSpend(accountId: string): Promise<ActualSpend | undefined>;
    /** Month-to-date cost by service from Cost Explorer, asked now (AWS bills each call, so only on request). */
    actualSpend(accountId: string): Promise<ActualSpend>;
    /** Hangar's monthly budget with its spend and alert states; undefined when there is none. */
    budget(accountId: string): Promise<BudgetInfo | undefined>;
    /** Creates or changes it (alerts by e-mail at 50 / 80 / 100 %). The amount must be a positive number. */
    saveBudget(input: BudgetInput): Promise<BudgetInfo>;
  };
};

/** Streams main pushes to every window. */
export type Events = {
  'settings.changed': Settings;
  /** The web harness cannot open a browser: it reports what it would have opened (tests read this). */
  'app.externalOpened': { url: string };
  'accounts.changed': AccountSummary[];
  /** The SSH keys Hangar holds, after any change (an import, a key pair made in the Launch wizard, a removal). */
  'keys.changed': SshKeySummary[];
  'ec2.regionScanned': RegionScanResult;
  /** Instances Hangar started, stopped, rebooted or terminated (after AWS accepted it). */
  'instances.stateChanged': { accountId: string; region: string; changes: InstanceStateChange[] };
  /** One region's part of a Costs ledger, to the window that asked. */
  'costs.ledgerRegion': LedgerRegionResult;
  'terminal.data': TerminalDataEvent;
  'terminal.closed': TerminalClosedEvent;
  /** A job was added or its state changed (queued, running, paused, finished…): every listening window. */
  'transfers.changed': TransferJob;
  /**
   * A running job's counters moved (about ten a second per job): only windows that show progress listen
   * (the Transfers screen while it is open), so a window that only needs the badge is not sent them.
   */
  'transfers.progress': TransferJob;
  'transfers.removed': { jobId: string };
  /** Every tunnel, at most about 4 times a second (byte counts move while connections are open). */
  'tunnels.changed': TunnelInfo[];
  /** An instance's idle alarm was set, changed or deleted (by any window, the Launch wizard, or a terminate). */
  'autoStop.changed': { accountId: string; region: string; instanceId: string; alarm?: IdleAlarm };
  /** The banner's reminders changed; new ones are fetched with reminders.takeNew. */
  'reminders.changed': Reminder[];
  /** A "Run command…" run's hosts changed state (output is not in it: see runs.output and runs.get). */
  'runs.changed': RunInfo;
  /** A piece of one host's output. */
  'runs.output': RunOutputEvent;
  /** A cluster set-up's progress, node by node. */
  'clusters.progress': ClusterSetupReport;
  /** A storage job's current step (issue 14). */
  'storage.progress': StorageProgress;
};
