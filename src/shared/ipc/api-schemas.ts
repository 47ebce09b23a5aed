import { clusterRefSchema, clusterSetupInputSchema, removeNodeInputSchema } from '../models/cluster';
import { slurmClusterSchema, slurmJobRefSchema, slurmSubmitSchema } from '../models/slurm';
import { runCommandInputSchema, runIdSchema } from '../models/run-many';
import { z } from 'zod';
import { accountIdSchema, addAccountInputSchema, importProfileInputSchema, regionNameSchema } from '../models/accounts';
import { instanceActionInputSchema, instanceIdSchema } from '../models/instance-actions';
import { settingsPatchSchema } from '../models/settings';
import {
  conflictAnswerSchema,
  instanceRefSchema,
  pathSchema,
  startDownloadInputSchema,
  startUploadInputSchema,
} from '../models/transfers';
import { connectionOverrideSchema, importKeyInputSchema, keyIdSchema, openTerminalInputSchema } from '../models/ssh';
import {
  createKeyPairInputSchema,
  createSshGroupInputSchema,
  importKeyPairInputSchema,
  launchRequestSchema,
  regionScopeSchema,
  updateMyIpInputSchema,
} from '../models/launch';
import { autoStopInputSchema } from '../models/auto-stop';
import { budgetInputSchema, cleanupItemSchema, ledgerOptionsSchema } from '../models/costs';
import { forwardPortInputSchema, openJupyterInputSchema, openTensorBoardInputSchema } from '../models/tunnels';
import { addRuleInputSchema, removeRuleInputSchema } from '../models/firewall';
import { addressInputSchema, allocateAddressInputSchema, associateAddressInputSchema } from '../models/elastic-ips';
import {
  copyImageInputSchema,
  copySnapshotInputSchema,
  createImageInputSchema,
  createSnapshotInputSchema,
  deregisterImageInputSchema,
  imageInputSchema,
  instancesInputSchema,
  restoreSnapshotInputSchema,
  shareImageInputSchema,
  snapshotInputSchema,
} from '../models/images';
import {
  addVolumeInputSchema,
  changeTypeInputSchema,
  deleteOnTerminationInputSchema,
  growFilesystemInputSchema,
  growVolumeInputSchema,
  storageInstanceSchema,
  volumeInputSchema,
} from '../models/storage';
import type { Api, Events } from './contract';
import { methodList } from './method-list';
import type { EventTable, SchemaTable } from './rpc-types';

const sessionIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const jobIdSchema = sessionIdSchema;
const instanceTypeSchema = z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/);

/** Runtime validation of every call's arguments: the renderer is untrusted input. */
export const apiSchemas = {
  app: {
    info: z.tuple([]),
    openExternal: z.tuple([z.string().max(8192)]),
    recoveryNotes: z.tuple([]),
  },
  settings: {
    get: z.tuple([]),
    update: z.tuple([settingsPatchSchema]),
  },
  secrets: {
    status: z.tuple([]),
  },
  accounts: {
    list: z.tuple([]),
    add: z.tuple([addAccountInputSchema]),
    listProfiles: z.tuple([]),
    importProfile: z.tuple([importProfileInputSchema]),
    remove: z.tuple([accountIdSchema]),
    setActive: z.tuple([accountIdSchema]),
    setDefaultRegion: z.tuple([accountIdSchema, regionNameSchema]),
    verify: z.tuple([accountIdSchema]),
  },
  ec2: {
    listRegions: z.tuple([accountIdSchema]),
    listInstances: z.tuple([accountIdSchema, regionNameSchema]),
    scanAllRegions: z.tuple([accountIdSchema]),
    instanceTypes: z.tuple([accountIdSchema, regionNameSchema, z.array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/)).max(500)]),
    terminationProtection: z.tuple([accountIdSchema, regionNameSchema, z.array(instanceIdSchema).min(1).max(1000)]),
    act: z.tuple([instanceActionInputSchema]),
  },
  keys: {
    list: z.tuple([]),
    pickFiles: z.tuple([]),
    import: z.tuple([importKeyInputSchema]),
    rename: z.tuple([keyIdSchema, z.string().trim().min(1).max(255)]),
    unlock: z.tuple([keyIdSchema, z.string().min(1).max(1024), z.boolean()]),
    remove: z.tuple([keyIdSchema]),
  },
  ssh: {
    getOverride: z.tuple([instanceIdSchema]),
    setOverride: z.tuple([instanceIdSchema, connectionOverrideSchema]),
    forgetHostKey: z.tuple([instanceIdSchema]),
    probeHostKey: z.tuple([
      z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.:_-]+$/),
      z.number().int().min(1).max(65535),
      z.string().max(300).nullable(),
      instanceIdSchema.nullable(),
    ]),
    setProxyPassword: z.tuple([instanceIdSchema, z.string().max(1024).nullable()]),
    hasProxyPassword: z.tuple([instanceIdSchema]),
    setLogging: z.tuple([sessionIdSchema, z.boolean(), z.boolean()]),
    logState: z.tuple([sessionIdSchema]),
    openLog: z.tuple([sessionIdSchema]),
    open: z.tuple([openTerminalInputSchema]),
    write: z.tuple([sessionIdSchema, z.string().max(1024 * 1024)]),
    resize: z.tuple([sessionIdSchema, z.number().int().min(2).max(1000), z.number().int().min(1).max(500)]),
    ack: z.tuple([sessionIdSchema, z.number().int().min(0).max(1 << 30)]),
    reconnect: z.tuple([sessionIdSchema, z.number().int().min(2).max(1000), z.number().int().min(1).max(500)]),
    busy: z.tuple([sessionIdSchema]),
    cwd: z.tuple([sessionIdSchema]),
    close: z.tuple([sessionIdSchema]),
    list: z.tuple([]),
    attach: z.tuple([sessionIdSchema]),
  },
  transfers: {
    list: z.tuple([]),
    upload: z.tuple([startUploadInputSchema]),
    download: z.tuple([startDownloadInputSchema]),
    pause: z.tuple([jobIdSchema]),
    resume: z.tuple([jobIdSchema]),
    cancel: z.tuple([jobIdSchema]),
    cancelAll: z.tuple([]),
    retryFailed: z.tuple([jobIdSchema]),
    resolveConflict: z.tuple([jobIdSchema, conflictAnswerSchema]),
    clearFinished: z.union([z.tuple([]), z.tuple([jobIdSchema])]),
    pickUpload: z.tuple([z.enum(['files', 'folder'])]),
    pickDownloadFolder: z.tuple([]),
  },
  files: {
    home: z.tuple([instanceRefSchema]),
    list: z.tuple([instanceRefSchema, pathSchema]),
    mkdir: z.tuple([instanceRefSchema, pathSchema]),
    rename: z.tuple([instanceRefSchema, pathSchema, pathSchema]),
    remove: z.tuple([instanceRefSchema, z.array(pathSchema).min(1).max(10_000)]),
  },
  tunnels: {
    list: z.tuple([]),
    discoverJupyter: z.tuple([instanceRefSchema]),
    openJupyter: z.tuple([openJupyterInputSchema]),
    openTensorBoard: z.tuple([openTensorBoardInputSchema]),
    forward: z.tuple([forwardPortInputSchema]),
    close: z.tuple([jobIdSchema]),
    reopen: z.union([z.tuple([instanceIdSchema, jobIdSchema]), z.tuple([instanceIdSchema, jobIdSchema, z.string().max(100)])]),
    forget: z.tuple([instanceIdSchema, jobIdSchema]),
  },
  launch: {
    images: z.tuple([regionScopeSchema]),
    searchImages: z.tuple([regionScopeSchema, z.string().max(200)]),
    instanceTypes: z.tuple([regionScopeSchema, z.enum(['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'])]),
    vcpuQuota: z.tuple([regionScopeSchema, instanceTypeSchema, z.boolean()]),
    spotPrice: z.tuple([regionScopeSchema, instanceTypeSchema]),
    keyPairs: z.tuple([regionScopeSchema]),
    createKeyPair: z.tuple([createKeyPairInputSchema]),
    importKeyPair: z.tuple([importKeyPairInputSchema]),
    saveKeyFile: z.tuple([keyIdSchema, z.string().trim().min(1).max(255)]),
    network: z.tuple([regionScopeSchema]),
    myIp: z.tuple([]),
    createSshGroup: z.tuple([createSshGroupInputSchema]),
    updateMyIp: z.tuple([updateMyIpInputSchema]),
    updateMyIpForInstance: z.tuple([instanceRefSchema]),
    dryRun: z.tuple([launchRequestSchema]),
    launch: z.tuple([launchRequestSchema]),
    probeSsh: z.tuple([instanceRefSchema]),
    ssmProfile: z.tuple([regionScopeSchema]),
  },
  autoStop: {
    status: z.tuple([instanceRefSchema]),
    enable: z.tuple([autoStopInputSchema]),
    disable: z.tuple([instanceRefSchema]),
    listAlarms: z.tuple([accountIdSchema, regionNameSchema]),
    stopReason: z.tuple([instanceRefSchema]),
  },
  access: {
    waysIn: z.tuple([z.array(instanceRefSchema).max(500)]),
  },
  windows: {
    password: z.tuple([instanceRefSchema]),
    openRdp: z.tuple([instanceRefSchema]),
  },
  metrics: {
    instance: z.tuple([instanceRefSchema]),
  },
  console: {
    view: z.tuple([instanceRefSchema]),
    screenshot: z.tuple([instanceRefSchema]),
  },
  firewall: {
    rules: z.tuple([instanceRefSchema]),
    addRule: z.tuple([addRuleInputSchema]),
    removeRule: z.tuple([removeRuleInputSchema]),
  },
  elasticIps: {
    list: z.tuple([regionScopeSchema]),
    allocate: z.tuple([allocateAddressInputSchema]),
    associate: z.tuple([associateAddressInputSchema]),
    disassociate: z.tuple([addressInputSchema]),
    release: z.tuple([addressInputSchema]),
  },
  clusters: {
    setUp: z.tuple([clusterSetupInputSchema]),
    addNode: z.tuple([clusterRefSchema]),
    removeNode: z.tuple([removeNodeInputSchema]),
    slurmSetUp: z.tuple([slurmClusterSchema]),
    slurmSubmit: z.tuple([slurmSubmitSchema]),
    slurmJobs: z.tuple([slurmClusterSchema]),
    slurmCancel: z.tuple([slurmJobRefSchema]),
    slurmOutput: z.tuple([slurmJobRefSchema]),
  },
  images: {
    overview: z.tuple([regionScopeSchema]),
    zones: z.tuple([regionScopeSchema]),
    createSnapshot: z.tuple([createSnapshotInputSchema]),
    copySnapshot: z.tuple([copySnapshotInputSchema]),
    deleteSnapshot: z.tuple([snapshotInputSchema]),
    restoreSnapshot: z.tuple([restoreSnapshotInputSchema]),
    createImage: z.tuple([createImageInputSchema]),
    copyImage: z.tuple([copyImageInputSchema]),
    deregisterImage: z.tuple([deregisterImageInputSchema]),
    sharing: z.tuple([imageInputSchema]),
    shareImage: z.tuple([shareImageInputSchema]),
    makeImagePrivate: z.tuple([imageInputSchema]),
    doomedVolumes: z.tuple([instancesInputSchema]),
    snapshotBeforeTerminate: z.tuple([instancesInputSchema]),
  },
  storage: {
    view: z.tuple([storageInstanceSchema]),
    grow: z.tuple([growVolumeInputSchema]),
    growFilesystem: z.tuple([growFilesystemInputSchema]),
    addVolume: z.tuple([addVolumeInputSchema]),
    attachVolume: z.tuple([volumeInputSchema]),
    detachVolume: z.tuple([volumeInputSchema]),
    deleteVolume: z.tuple([volumeInputSchema]),
    setDeleteOnTermination: z.tuple([deleteOnTerminationInputSchema]),
    typeChoices: z.tuple([storageInstanceSchema]),
    changeType: z.tuple([changeTypeInputSchema]),
  },
  runs: {
    start: z.tuple([runCommandInputSchema]),
    get: z.tuple([runIdSchema]),
    cancel: z.tuple([runIdSchema]),
    rerunFailed: z.tuple([runIdSchema]),
  },
  reminders: {
    list: z.tuple([]),
    takeNew: z.tuple([]),
    dismiss: z.tuple([z.string().min(1).max(300)]),
  },
  costs: {
    ledger: z.tuple([z.array(accountIdSchema).min(1).max(50), ledgerOptionsSchema]),
    cleanup: z.tuple([z.array(cleanupItemSchema).min(1).max(5000), z.boolean()]),
    cachedSpend: z.tuple([accountIdSchema]),
    actualSpend: z.tuple([accountIdSchema]),
    budget: z.tuple([accountIdSchema]),
    saveBudget: z.tuple([budgetInputSchema]),
  },
} satisfies SchemaTable<Api>;

export const API_METHODS: readonly string[] = Object.freeze(methodList<Api>(apiSchemas));

/**
 * Every event of the contract, at runtime: what a window may subscribe to. Type-checked against `Events`
 * (a missing or extra name fails to compile).
 */
export const eventTable = {
  'settings.changed': true,
  'app.externalOpened': true,
  'accounts.changed': true,
  'keys.changed': true,
  'ec2.regionScanned': true,
  'instances.stateChanged': true,
  'costs.ledgerRegion': true,
  'terminal.data': true,
  'terminal.closed': true,
  'transfers.changed': true,
  'transfers.progress': true,
  'transfers.removed': true,
  'tunnels.changed': true,
  'autoStop.changed': true,
  'reminders.changed': true,
  'runs.changed': true,
  'runs.output': true,
  'clusters.progress': true,
  'storage.progress': true,
} as const satisfies EventTable<Events>;
