import { dirname, join } from 'node:path';
import type { AppInfo } from '../../shared/models/app-info';
import type { Events } from '../../shared/ipc/contract';
import type { AppServices } from './app-services';
import { createEventHub } from './app/event-hub';
import { createAccountsService } from './accounts/create-accounts-service';
import { createAwsClientPool } from './aws/aws-client-pool';
import { createEc2Service } from './ec2/ec2-service';
import type { Logger } from './logging/logger';
import type { SecretStore } from './secrets/secret-store';
import { createSettingsStore, type SettingsBackend } from './settings/settings-store';
import { createKeysService } from './ssh/create-keys-service';
import { createTerminalService } from './ssh/create-terminal-service';
import { createSsmSessionApi } from './keyless/ssm/ssm-session-api';
import { createSsmTerminalOpener } from './keyless/ssm/ssm-terminal-channel';
import { createConnectionManager } from './ssh/create-connection-manager';
import { createRouteService } from './ssh/route-service';
import { createSessionLogs } from './ssh/session-logs';
import { createRunManyService } from './run-many/run-many-service';
import { createClusterSetup } from './cluster/cluster-setup';
import { createInstanceConnectPush } from './keyless/instance-connect-push';
import { createTransferService } from './transfer/create-transfer-service';
import { createQueueStore } from './transfer/queue-store';
import { createRemoteFilesService } from './files/create-remote-files-service';
import { createTunnelService } from './tunnels/create-tunnel-service';
import { createLaunchService } from './launch/create-launch-service';
import { createInstanceStopFacts } from './ec2/instance-stop-facts';
import { createAutoStopService } from './idle/create-auto-stop-service';
import { createIdleAlarms } from './idle/idle-alarm';
import { createIdleWatcherService } from './idle/create-idle-watcher-service';
import { createLocalGrants } from './grants/local-grants';
import { createMetricsService } from './metrics/instance-metrics';
import { createReminderService } from './reminders/reminder-service';
import { createReminderStateStore } from './reminders/reminder-state';
import { createCostsService } from './costs/costs-service';
import { createPriceCache } from './costs/price-cache';
import { createPriceSource } from './costs/price-source';
import { createWindowsAccess } from './windows/windows-access';
import { createConsoleService } from './console/console-service';
import { createFirewallService } from './firewall/firewall-service';
import { createWaysInService } from './access/ways-in-service';
import { createEiceRoute } from './keyless/eice/eice-route';
import { sshOnlyGuard } from './access/ssh-only-guard';
import { createElasticIpService } from './elastic-ips/elastic-ip-service';
import { createImagesService } from './images/images-service';
import { createStorageService } from './storage/storage-service';
import { createClusterNodes } from './cluster/cluster-nodes';
import { createSlurmService } from './cluster/slurm-service';
import type { SlurmLayout } from './cluster/slurm-config';

export interface AppServiceDeps {
  info: AppInfo;
  logger: Logger;
  settingsBackend: SettingsBackend;
  /** Where runtime state (the transfer queue) is kept; default: the settings file's folder. */
  stateDir?: string;
  secrets: SecretStore;
  openExternal(url: string): Promise<void>;
  /** Opens a file Hangar wrote (a .rdp) with the system's handler: `shell.openPath` in Electron. */
  openPath(path: string): Promise<void>;
  pickFiles: AppServices['pickFiles'];
  pickSaveFile: AppServices['pickSaveFile'];
  /** Users to try when connecting (the web harness's tests add the sshd rig's user). Default: the AMI's. */
  userCandidates?: (imageName: string | undefined) => string[];
  /** How often reminders look at the account again (default 10 minutes). */
  reminderCheckEveryMs?: number;
  /** The system's proxy for a URL, in PAC form (Electron: session.resolveProxy); else the environment's. */
  resolveProxy?: (url: string) => Promise<string>;
  /** How long the shells of a closed window wait to be taken over (default 30 s; tests shorten it). */
  terminalGraceMs?: number;
  /** Where Format and mount writes its fstab line (default /etc/fstab); tests on a shared machine use a file of their own. */
  fstabPath?: string;
  /** Where Slurm lives on the nodes (default: Debian's packages under systemd); a test rig passes its own. */
  slurmLayout?: SlurmLayout;
}

/**
 * The composition of services shared by the Electron shell and the loopback web harness. AWS endpoints
 * are never set here: the SDK's own chain (AWS_ENDPOINT_URL_*, shared config) decides.
 */
export function createAppServices(deps: AppServiceDeps): AppServices & { dispose(): Promise<void> } {
  const events = createEventHub<Events>();
  // Before settings: a settings file from before v5 hands its transfer queue over while it is migrated.
  const stateDir = deps.stateDir ?? dirname(deps.settingsBackend.path);
  const queue = createQueueStore({ dir: stateDir, logger: deps.logger });
  const settings = createSettingsStore(deps.settingsBackend, deps.logger, {
    adoptMovedOut: (movedOut) => queue.adoptFromSettings(movedOut.transfers),
  });
  const accounts = createAccountsService({ settings, secrets: deps.secrets });
  const stopSettingsEvents = settings.onChange((value) => events.publish('settings.changed', value));
  const stopAccountEvents = accounts.onChange((list) => events.publish('accounts.changed', list));
  const pool = createAwsClientPool({ credentialsFor: (accountId) => accounts.credentialsFor(accountId) });
  let known = new Set(settings.get().accounts.map((a) => a.id));
  // A removed account's clients (and the credentials they hold) go with it.
  const stopForgetting = accounts.onChange((list) => {
    const now = new Set(list.map((a) => a.id));
    for (const id of known) if (!now.has(id)) pool.forget(id);
    known = now;
  });
  // One price source for the instance table, the launch wizard and the Costs ledger (cached on disk).
  const prices = createPriceSource({
    clientsFor: (accountId) => pool.clientsFor(accountId),
    cache: createPriceCache({ dir: stateDir, logger: deps.logger }),
    logger: deps.logger,
  });
  const ec2 = createEc2Service({ clientsFor: (accountId) => pool.clientsFor(accountId), prices });
  const keys = createKeysService({ settings, secrets: deps.secrets });
  const routes = createRouteService({ secrets: deps.secrets });
  const eice = createEiceRoute({ clientsFor: (accountId) => pool.clientsFor(accountId) });
  const connections = createConnectionManager({
    proxyPassword: (instanceId) => routes.proxyPassword(instanceId),
    ...(deps.resolveProxy === undefined ? {} : { resolveProxy: deps.resolveProxy }),
    settings,
    keys,
    ec2,
    logger: deps.logger,
    ...(deps.userCandidates === undefined ? {} : { userCandidates: deps.userCandidates }),
    pushInstanceConnectKey: createInstanceConnectPush({ clientsFor: (accountId) => pool.clientsFor(accountId) }),
    eice,
  });
  const ssmApi = createSsmSessionApi({ clientsFor: (accountId) => pool.clientsFor(accountId) });
  const firewall = createFirewallService({ clientsFor: (accountId) => pool.clientsFor(accountId), ec2 });
  const ways = createWaysInService({ ec2, keys, settings, firewall, ssm: ssmApi, instanceConnect: true, endpoints: eice });
  const terminals = createTerminalService({
    settings,
    keys,
    ec2,
    events,
    logger: deps.logger,
    connections,
    sessionLogs: createSessionLogs({ dir: join(stateDir, 'terminal-logs'), openPath: deps.openPath }),
    ...(deps.terminalGraceMs === undefined ? {} : { detachGraceMs: deps.terminalGraceMs }),
    openSsmTerminal: createSsmTerminalOpener({
      api: ssmApi,
      describeInstance: (accountId, region, instanceId, signal) => ec2.describeInstance(accountId, region, instanceId, signal),
    }),
  });
  const runs = createRunManyService({ connections, events });
  const transfers = createTransferService({ connections: sshOnlyGuard(connections, ways, 'File transfers'), queue, events, ec2, logger: deps.logger });
  const files = createRemoteFilesService({ connections: sshOnlyGuard(connections, ways, 'Files') });
  const tunnels = createTunnelService({ connections, settings, events, ec2, logger: deps.logger, openExternal: deps.openExternal, ways, ssm: ssmApi });
  const clusters = createClusterSetup({ connections, ec2, secrets: deps.secrets, events });
  const launch = createLaunchService({ clientsFor: (accountId) => pool.clientsFor(accountId), keys, settings, ec2, prices });
  const costs = createCostsService({
    clientsFor: (accountId) => pool.clientsFor(accountId),
    prices,
    accounts,
    act: (input, signal) => ec2.act(input, signal),
    stateDir,
    logger: deps.logger,
  });
  const stopFacts = createInstanceStopFacts({ clientsFor: (accountId) => pool.clientsFor(accountId) });
  const autoStop = createAutoStopService({
    alarms: createIdleAlarms({ clientsFor: (accountId) => pool.clientsFor(accountId) }),
    watcher: createIdleWatcherService({ connections, logger: deps.logger, shutdownBehaviour: stopFacts.shutdownBehaviour }),
    stopFacts,
    consoleOutput: (ref, signal) => ec2.consoleOutput(ref.accountId, ref.region, ref.instanceId, signal),
    logger: deps.logger,
    onAlarmChanged: (ref, alarm) => events.publish('autoStop.changed', { ...ref, ...(alarm === undefined ? {} : { alarm }) }),
  });
  const metrics = createMetricsService({ clientsFor: (accountId) => pool.clientsFor(accountId) });
  const reminders = createReminderService({
    settings,
    ec2,
    state: createReminderStateStore(deps.stateDir ?? dirname(deps.settingsBackend.path), deps.logger),
    publish: (active) => events.publish('reminders.changed', active),
    logger: deps.logger,
    ...(deps.reminderCheckEveryMs === undefined ? {} : { checkEveryMs: deps.reminderCheckEveryMs }),
  });
  reminders.start();
  // Every key list on screen follows changes made anywhere (the Launch wizard makes key pairs too).
  let keysSeen = JSON.stringify(settings.get().sshKeys);
  let waysSeen = JSON.stringify([settings.get().sshKeys, settings.get().connections]);
  const stopWaysFollowing = settings.onChange((next) => {
    const now = JSON.stringify([next.sshKeys, next.connections]);
    if (now === waysSeen) return;
    waysSeen = now;
    ways.forgetAll();
  });
  const stopKeyEvents = settings.onChange((next) => {
    const now = JSON.stringify(next.sshKeys);
    if (now === keysSeen) return;
    keysSeen = now;
    keys.list().then(
      (list) => events.publish('keys.changed', list),
      (error: unknown) => deps.logger.warn('could not list SSH keys after a change', error),
    );
  });
  // A stopped instance's terminals, file browsers and tunnels close now (saying why) rather than after their
  // reconnect attempts find out; every window hears of the change.
  const stopTunnelsFollowing = ec2.onStateChanges((changes, where) => {
    for (const change of changes) ways.forget(change.instanceId);
    tunnels.instancesChanged(changes);
    terminals.instancesChanged(changes);
    files.instancesChanged(changes);
    // A terminated instance's idle alarm goes with it.
    autoStop.instancesChanged(changes, where);
    events.publish('instances.stateChanged', { ...where, changes: [...changes] });
  });
  return {
    info: deps.info,
    logger: deps.logger,
    events,
    settings,
    secrets: deps.secrets,
    accounts,
    ec2,
    keys,
    terminals,
    routes,
    runs,
    clusters,
    slurm: createSlurmService({ clientsFor: (accountId) => pool.clientsFor(accountId), connections, secrets: deps.secrets, events, ...(deps.slurmLayout === undefined ? {} : { layout: deps.slurmLayout }) }),
    clusterNodes: createClusterNodes({ clientsFor: (accountId) => pool.clientsFor(accountId), setup: clusters, events, answersSsh: async (ref, signal) => (await launch.probeSsh(ref, signal)).ready }),
    connections,
    transfers,
    files,
    tunnels,
    launch,
    autoStop,
    grants: createLocalGrants(),
    metrics,
    reminders,
    costs,
    windows: createWindowsAccess({ clientsFor: (accountId) => pool.clientsFor(accountId), ec2, keys, openPath: deps.openPath }),
    console: createConsoleService({ clientsFor: (accountId) => pool.clientsFor(accountId), ec2 }),
    firewall,
    ways,
    elasticIps: createElasticIpService({ clientsFor: (accountId) => pool.clientsFor(accountId), prices }),
    images: createImagesService({ clientsFor: (accountId) => pool.clientsFor(accountId) }),
    storage: createStorageService({ clientsFor: (accountId) => pool.clientsFor(accountId), connections, events, instanceTypes: (scope, arch, signal) => launch.instanceTypes(scope, arch, signal), ...(deps.fstabPath === undefined ? {} : { fstabPath: deps.fstabPath }) }),
    openExternal: deps.openExternal,
    pickFiles: deps.pickFiles,
    pickSaveFile: deps.pickSaveFile,
    /** Resolves once running transfers have stopped and the queue is on disk: await it before exiting. */
    async dispose() {
      // Tunnels first (unhooked from ec2 before): they hold connection references and local listeners.
      stopKeyEvents();
      stopTunnelsFollowing();
      const remindersStopped = reminders.dispose();
      stopWaysFollowing();
      tunnels.dispose();
      const transfersStopped = transfers.dispose();
      terminals.dispose();
      runs.dispose();
      files.dispose();
      connections.dispose();
      stopSettingsEvents();
      stopAccountEvents();
      stopForgetting();
      await remindersStopped;
      pool.destroy();
      await Promise.all([transfersStopped, costs.flush()]);
    },
  };
}
