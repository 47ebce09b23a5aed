import type { Events } from '../../shared/ipc/contract';
import type { AppInfo } from '../../shared/models/app-info';
import type { EventHub } from './app/event-hub';
import type { AccountsService } from './accounts/accounts-service';
import type { Ec2Service } from './ec2/ec2-service';
import type { Logger } from './logging/logger';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings-store';
import type { KeysService } from './ssh/keys-service';
import type { TerminalService } from './ssh/terminal-service';
import type { RouteService } from './ssh/route-service';
import type { RunManyService } from './run-many/run-many-service';
import type { ClusterSetupService } from './cluster/cluster-setup';
import type { ConnectionManager } from './ssh/create-connection-manager';
import type { TransferService } from './transfer/transfer-service';
import type { RemoteFilesService } from './files/remote-files-service';
import type { TunnelService } from './tunnels/tunnel-service';
import type { LaunchService } from './launch/launch-service';
import type { AutoStopService } from './idle/auto-stop-service';
import type { LocalGrants } from './grants/local-grants';
import type { MetricsService } from './metrics/instance-metrics';
import type { ReminderService } from './reminders/reminder-service';
import type { CostsService } from './costs/costs-service';
import type { WindowsAccess } from './windows/windows-access';
import type { ConsoleService } from './console/console-service';
import type { FirewallService } from './firewall/firewall-service';
import type { WaysInService } from './access/ways-in-service';
import type { ElasticIpService } from './elastic-ips/elastic-ip-service';
import type { ImagesService } from './images/images-service';
import type { StorageService } from './storage/storage-service';
import type { ClusterNodesService } from './cluster/cluster-nodes';
import type { SlurmService } from './cluster/slurm-service';

export interface PickOptions {
  title: string;
  filters?: Array<{ name: string; extensions: string[] }>;
  kind?: 'files' | 'folders';
  /** Default true. */
  multiple?: boolean;
  buttonLabel?: string;
}

export interface SaveOptions {
  title: string;
  /** File name offered in the dialog. */
  defaultName: string;
  filters?: Array<{ name: string; extensions: string[] }>;
  buttonLabel?: string;
}

/** Everything Hangar does, as plain Node objects. The shell and the web harness each build one. */
export interface AppServices {
  readonly info: AppInfo;
  readonly logger: Logger;
  /** What services push to every window (settings and account changes, terminal output, …). */
  readonly events: EventHub<Events>;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly accounts: AccountsService;
  readonly ec2: Ec2Service;
  readonly keys: KeysService;
  readonly terminals: TerminalService;
  /** Jump hosts and proxies: host key probes and proxy passwords (issue 19). */
  readonly routes: RouteService;
  /** Run command… on many instances (issue 16). */
  readonly runs: RunManyService;
  /** Cluster set-up over SSH (issue 16). */
  readonly clusters: ClusterSetupService;
  /** Add node / Remove node of a cluster (issue 16). */
  readonly clusterNodes: ClusterNodesService;
  /** Slurm on a cluster: set up, submit, queue, cancel, output (issue 16). */
  readonly slurm: SlurmService;
  /** The one SSH connection per instance that terminals, transfers, the file browser and tunnels share. */
  readonly connections: ConnectionManager;
  readonly transfers: TransferService;
  readonly files: RemoteFilesService;
  /** Jupyter, TensorBoard and any port forwarded over the shared connections. */
  readonly tunnels: TunnelService;
  /** The Launch flow: images, types, key pairs, my-IP security groups, DryRun and RunInstances. */
  readonly launch: LaunchService;
  /** Stop when idle: the CloudWatch alarm and the on-instance watcher. */
  readonly autoStop: AutoStopService;
  /** The local files and folders the renderer may name: what pickers returned and drops delivered, as grants. */
  readonly grants: LocalGrants;
  /** An instance's CloudWatch graph: CPU and network of the last 3 hours. */
  readonly metrics: MetricsService;
  /** Reminders of GPU hours and the burn rate (decided in main; windows notify and show the banner). */
  readonly reminders: ReminderService;
  /** The Costs ledger, its cleanup, Cost Explorer's actual spend and Hangar's monthly budget. */
  readonly costs: CostsService;
  /** Windows instances: the Administrator password and a .rdp file opened with the system's client. */
  readonly windows: WindowsAccess;
  /** An instance's console output, screenshot and serial console access. */
  readonly console: ConsoleService;
  /** The inbound rules of an instance's security groups. */
  readonly firewall: FirewallService;
  /** Which ways into an instance work (SSH key, Instance Connect, Session Manager), best first (issue 15). */
  readonly ways: WaysInService;
  readonly elasticIps: ElasticIpService;
  /** Snapshots and AMIs (issue 14). */
  readonly images: ImagesService;
  /** An instance's volumes: grow, add, detach, delete (issue 14). */
  readonly storage: StorageService;
  /**
   * The native file picker (Electron) or, in the web harness, paths queued by a test. `kind` 'folders'
   * picks folders (several when `multiple`); the default picks files. Paths stay in main: the handlers
   * turn them into grants before anything reaches the renderer.
   */
  pickFiles(options: PickOptions): Promise<string[]>;
  /** The native save dialog (Electron) or, in the web harness, a path queued by a test; undefined when cancelled. */
  pickSaveFile(options: SaveOptions): Promise<string | undefined>;
  /** Opens an already-checked http(s) URL: `shell.openExternal` in Electron, a recorded event on the web. */
  openExternal(url: string): Promise<void>;
}
