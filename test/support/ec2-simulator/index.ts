import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AddressStore } from './addresses';
import { authenticate } from './auth';
import { BUDGETS_ACTIONS, BudgetStore } from './budgets';
import { CLOUDWATCH_ACTIONS, CloudWatchState, type InstanceAction } from './cloudwatch';
import { ConsoleState } from './console-actions';
import { COST_EXPLORER_ACTIONS, CostStore } from './cost-explorer';
import { defaultRegions } from './default-regions';
import { EC2_ACTIONS, type Ec2ActionContext, type SimWorld } from './ec2-actions';
import { ImageCatalogue, snapshotIdOf } from './images';
import { InstanceStore } from './instance-store';
import { isJsonService, JSON_SERVICES, jsonContentType, jsonError, jsonServiceOfTarget, type JsonAction, type JsonService } from './json-protocol';
import { SERVICE_QUOTAS_ACTIONS, SSM_ACTIONS } from './json-services';
import { InstanceConnectKeys, instanceConnectActions } from './instance-connect';
import { WindowsPasswords } from './windows-passwords';
import { sessionManagerActions, SsmSessions } from './ssm-sessions';
import { KeyPairStore } from './key-pairs';
import { afterStateChanges, LaunchState } from './launch';
import { sshdLaunchHooks, type SshdLaunchHooks } from './launch-sshd';
import { NetworkStore } from './network';
import { Permissions } from './permissions';
import { PriceBook } from './price-table';
import { PRICING_ACTIONS } from './pricing';
import { QueryParams } from './query-params';
import { costControls } from './seeding';
import { errorXml, SimError } from './sim-error';
import { parseAuthorization } from './sigv4';
import { SnapshotStore } from './snapshots';
import { STS_ACTIONS } from './sts-actions';
import { IAM_VERSION, IAM_XMLNS, IamStore } from './iam';
import { attachTunnelServer, instanceConnectEndpointActions, InstanceConnectEndpoints } from './instance-connect-endpoints';
import type { Ec2Simulator, Ec2SimulatorOptions, InjectedErrorSpec, RequestLogEntry, SimCredential, SimRegion, SimService, StateTimings } from './types';
import { VolumeStore } from './volumes';
import { VolumeModifications } from './volume-modifications';
import { imageControls } from './image-controls';

export type * from './types';
export type { SimLaunchHooks, SimLaunchedInstance, SimBootResult, CapacityShortage } from './launch';
export type { SimImageInput } from './images';
export type { SimVpcInput } from './network';
export type { SimVolumeInput } from './volumes';
export type { SimSnapshotInput } from './snapshots';
export type { SimAddressInput } from './addresses';
export type { SimSpotRequestInput } from './spot-requests';
export type { SimCostRow } from './cost-explorer';
export type { SimInstanceConnectPush } from './instance-connect';
export type { SimSessionManager, SimSsmSession } from './ssm-sessions';
export type { SimPriceOverrides } from './price-table';
export type { SimBudgetSpend } from './budgets';
export type { SimInstanceMetrics, SimMetricValue } from './metric-series';
export type { SimAlarmActionRecord, AlarmState } from './cloudwatch';
export { PUBLIC_AMI_PARAMETERS, seededImageId } from './images';
export { QUOTA_BUCKETS } from './launch';
export { fingerprintOfCreatedRsa, fingerprintOfEd25519, fingerprintOfImportedRsa } from './key-pairs';

export const DEFAULT_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const DEFAULT_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const STS_VERSION = '2011-06-15';
const MAX_BODY_BYTES = 1024 * 1024;

const JSON_ACTIONS: Readonly<Record<JsonService, Readonly<Record<string, JsonAction>>>> = {
  ssm: SSM_ACTIONS,
  servicequotas: SERVICE_QUOTAS_ACTIONS,
  pricing: PRICING_ACTIONS,
  budgets: BUDGETS_ACTIONS,
  ce: COST_EXPLORER_ACTIONS,
  monitoring: CLOUDWATCH_ACTIONS,
  // Bound to the simulator's instances and sshds when it starts (startEc2Simulator).
  'ec2-instance-connect': {},
};

/**
 * A fake EC2 + STS + SSM + Service Quotas + Pricing + Budgets + Cost Explorer + CloudWatch + EC2 Instance Connect endpoint on
 * 127.0.0.1 that speaks the real wire protocols (EC2 query, awsQuery, JSON 1.1, CloudWatch's JSON 1.0;
 * SigV4-signed), so the unmodified AWS SDK — or any other client — can be pointed at it with an endpoint
 * override. One server stands in for every region and service: both come from the credential scope.
 */
export async function startEc2Simulator(options: Ec2SimulatorOptions = {}): Promise<Ec2Simulator> {
  const accountId = options.accountId ?? '123456789012';
  if (!/^\d{12}$/.test(accountId)) throw new Error('accountId must be 12 digits');
  const regions: SimRegion[] = (options.regions ?? defaultRegions()).map((r) => ({ ...r }));
  const credentials: SimCredential[] = options.credentials ?? [
    { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
  ];
  const timings: StateTimings = {
    pendingMs: 500,
    stoppingMs: 500,
    shuttingDownMs: 500,
    terminatedRetentionMs: 60 * 60_000,
    snapshotMs: 2_000,
    ...options.timings,
  };
  const verifySignatures = options.verifySignatures ?? true;
  const store = new InstanceStore(timings);
  // CloudWatch alarm actions on EC2; like CloudWatch's, they do nothing to an instance that cannot comply.
  const act = (region: string, action: InstanceAction, instanceId: string): void => {
    const instance = store.get(instanceId);
    if (!instance || instance.region !== region) return;
    try {
      if (action === 'reboot') store.reboot([instance]);
      else afterStateChanges(contextFor(region), action === 'stop' ? store.stop([instance]) : store.terminate([instance]));
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
    }
  };
  const world: SimWorld = {
    network: new NetworkStore(),
    keyPairs: new KeyPairStore(),
    images: new ImageCatalogue(accountId),
    launch: new LaunchState(),
    permissions: new Permissions(),
    volumes: new VolumeStore(() => timings.pendingMs),
    volumeModifications: new VolumeModifications(() => ({ modifyingMs: timings.volumeModifyingMs ?? 1_000, optimizingMs: timings.volumeOptimizingMs ?? 3_000 })),
    snapshots: new SnapshotStore(accountId, () => timings.snapshotMs ?? 2_000),
    addresses: new AddressStore(),
    spotRequests: new Map(),
    prices: new PriceBook(),
    budgets: new BudgetStore(),
    costs: new CostStore(),
    cloudwatch: new CloudWatchState(act),
    windowsPasswords: new WindowsPasswords(options.windowsPasswordDelayMs ?? 0),
    console: new ConsoleState(),
    knownRegions: () => regions.map((r) => r.name),
    iam: new IamStore(accountId),
  };
  // Every instance comes with its root volume; terminating it deletes or detaches its volumes and frees its EIP.
  store.listener = {
    added: (i) => {
      const mapping = world.images.get(i.region, i.imageId)?.blockDeviceMappings.find((b) => b.deviceName === i.rootDeviceName);
      world.volumes.addRoot(i, mapping?.snapshotId ?? snapshotIdOf(i.imageId, i.rootDeviceName));
    },
    terminated: (i) => {
      world.volumes.onTerminated(i);
      world.addresses.onTerminated(i);
    },
  };
  const evaluation =
    options.alarmEvaluationIntervalMs === undefined ? undefined : setInterval(() => world.cloudwatch.evaluate(store, undefined), options.alarmEvaluationIntervalMs);
  evaluation?.unref();
  const parameters = new Map<string, Map<string, string>>();
  const sshdHooks: SshdLaunchHooks | undefined =
    options.sshdForLaunches === undefined || options.sshdForLaunches === false
      ? undefined
      : sshdLaunchHooks(options.sshdForLaunches === true ? {} : options.sshdForLaunches);
  world.launch.hooks = options.launchHooks ?? sshdHooks;
  const instanceConnect = new InstanceConnectKeys(options.instanceConnectKeyTtlMs ?? 60_000, (id) => sshdHooks?.sshdFor(id));
  const eiceEndpoints = new InstanceConnectEndpoints();
  const ec2Actions = { ...EC2_ACTIONS, ...instanceConnectEndpointActions(eiceEndpoints) };
  const jsonActions = { ...JSON_ACTIONS, 'ec2-instance-connect': instanceConnectActions(instanceConnect, store) };
  const ssmSessions = new SsmSessions();
  // An instance launched with the Session Manager role registers its agent, as the real agent does once it has credentials.
  world.iam.onManagedLaunch = (instanceId) => ssmSessions.setAgentOnline(instanceId, true);
  jsonActions.ssm = { ...SSM_ACTIONS, ...sessionManagerActions(ssmSessions, store) };
  const contextFor = (region: string): Ec2ActionContext => ({ params: new QueryParams([]), region, store, regions, accountId, world });
  const requests: RequestLogEntry[] = [];
  let injected: { spec: InjectedErrorSpec; remaining: number }[] = [];
  let latencyMs = options.latencyMs ?? 0;
  let latencyFor = options.latencyFor;
  // Requests being served right now and the high-water marks since the last clearRequests(), per action.
  const inFlight = new Map<string, number>();
  const peaks = new Map<string, number>();
  let inFlightTotal = 0;
  let peakTotal = 0;
  let serverClockOffsetMs = options.serverClockOffsetMs ?? 0;
  const serverNow = (): number => Date.now() + serverClockOffsetMs;

  function takeInjected(action: string, region: string): SimError | undefined {
    const hit = injected.find(
      (e) => e.remaining > 0 && (e.spec.action === '*' || e.spec.action === action) && (e.spec.region ?? region) === region,
    );
    if (!hit) return undefined;
    hit.remaining--;
    injected = injected.filter((e) => e.remaining > 0);
    return new SimError(hit.spec.code, hit.spec.message ?? `Injected ${hit.spec.code}.`, hit.spec.status);
  }

  function respond(res: ServerResponse, entry: RequestLogEntry, status: number, service: SimService, xml: string, requestId: string, extraHeaders: Record<string, string> = {}): void {
    entry.status = status;
    if (res.destroyed) return;
    res.statusCode = status;
    res.setHeader('Content-Type', isJsonService(service) ? jsonContentType(service) : 'text/xml;charset=UTF-8');
    for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
    res.setHeader('Date', new Date(serverNow()).toUTCString());
    if (service !== 'ec2') res.setHeader('x-amzn-RequestId', requestId);
    res.end(xml);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const body = await readBody(req);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const params = new QueryParams([
      ...new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1)),
      ...new URLSearchParams(req.method === 'POST' ? body.toString('utf8') : ''),
    ]);
    const auth = parseAuthorization(req.headers.authorization ?? '');
    const target = req.headers['x-amz-target'];
    const claimed = auth?.service ?? (typeof target === 'string' ? jsonServiceOfTarget(target) : undefined);
    const service: SimService =
      claimed !== undefined && isJsonService(claimed)
        ? claimed
        : claimed === 'sts' || (auth === undefined && params.get('Version') === STS_VERSION)
          ? 'sts'
          : claimed === 'iam' || (auth === undefined && params.get('Version') === IAM_VERSION)
            ? 'iam'
            : 'ec2';
    const action = isJsonService(service)
      ? typeof target === 'string' && target.startsWith(`${JSON_SERVICES[service].target}.`)
        ? target.slice(JSON_SERVICES[service].target.length + 1)
        : ''
      : (params.get('Action') ?? '');
    const entry: RequestLogEntry = {
      service,
      action,
      region: auth?.region,
      accessKeyId: auth?.accessKeyId,
      time: Date.now(),
      status: undefined,
      errorCode: undefined,
    };
    requests.push(entry);
    const current = (inFlight.get(action) ?? 0) + 1;
    inFlight.set(action, current);
    peaks.set(action, Math.max(peaks.get(action) ?? 0, current));
    inFlightTotal++;
    peakTotal = Math.max(peakTotal, inFlightTotal);
    try {
      await serve(req, res, { requestId, body, params, service, action, entry });
    } finally {
      inFlight.set(action, (inFlight.get(action) ?? 1) - 1);
      inFlightTotal--;
    }
  }

  interface Incoming {
    requestId: string;
    body: Buffer;
    params: QueryParams;
    service: SimService;
    action: string;
    entry: RequestLogEntry;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, incoming: Incoming): Promise<void> {
    const { requestId, body, params, service, action, entry } = incoming;
    const delay = latencyFor?.({ service, action, region: entry.region }) ?? latencyMs;
    if (delay > 0) await sleep(delay);

    try {
      const { credential, region } = authenticate({ credentials, regions, verifySignatures, serverNow }, service, req, body);
      if (action === '') throw new SimError('MissingAction', 'The request must contain the parameter Action');
      const injectedError = takeInjected(action, region);
      if (injectedError) throw injectedError;
      if (isJsonService(service)) {
        const run = jsonActions[service][action];
        if (!run) throw new SimError('UnknownOperationException', `Unknown operation ${action}`, 400);
        let input: unknown;
        try {
          input = JSON.parse(body.toString('utf8') || '{}');
        } catch {
          throw new SimError('SerializationException', 'Start of structure or map found where not expected.', 400);
        }
        if (typeof input !== 'object' || input === null || Array.isArray(input)) {
          throw new SimError('SerializationException', 'Start of structure or map found where not expected.', 400);
        }
        const out: unknown = await run({ input: input as Record<string, unknown>, region, accountId, launch: world.launch, permissions: world.permissions, parameters, world, store, requestId });
        respond(res, entry, 200, service, JSON.stringify(out), requestId);
      } else if (service === 'iam') {
        const inner = world.iam.run(action, params, world.permissions);
        const xml =
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<${action}Response xmlns="${IAM_XMLNS}">${inner}` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
        respond(res, entry, 200, service, xml, requestId);
      } else if (service === 'sts') {
        const run = STS_ACTIONS[action];
        if (!run) throw new SimError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? ''}`);
        const xml =
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<${action}Response xmlns="${STS_XMLNS}">${run({ credential, accountId, params, credentials })}` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
        respond(res, entry, 200, service, xml, requestId);
      } else {
        const run = ec2Actions[action];
        if (!run) throw new SimError('InvalidAction', `The action ${action} is not valid for this web service.`);
        if (!params.has('Version')) throw new SimError('MissingParameter', 'The request must contain the parameter Version');
        world.permissions.checkEc2(action, { accountId, region });
        const inner = run({ params, region, store, regions, accountId, world });
        const xml =
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<${action}Response xmlns="${EC2_XMLNS}"><requestId>${requestId}</requestId>${inner}</${action}Response>`;
        respond(res, entry, 200, service, xml, requestId);
      }
    } catch (error) {
      const simError =
        error instanceof SimError ? error : new SimError('InternalError', 'An internal error has occurred', 500);
      entry.errorCode = simError.code;
      if (isJsonService(service)) {
        const { body, headers } = jsonError(service, simError);
        respond(res, entry, simError.status, service, body, requestId, headers);
      } else {
        respond(res, entry, simError.status, service, errorXml(service, simError, requestId), requestId);
      }
    }
  }

  const addInstance: Ec2Simulator['addInstance'] = (region, input = {}) => {
    if (!regions.some((r) => r.name === region)) throw new Error(`unknown region ${region}`);
    // Seeded instances live in the region's default network unless the test says otherwise.
    const az = input.availabilityZone ?? `${region}a`;
    const subnet = input.subnetId === undefined ? world.network.defaultSubnet(region, az) : undefined;
    const group = subnet === undefined ? undefined : world.network.defaultGroup(subnet.vpcId);
    return store.add(region, {
      ...(subnet === undefined ? {} : { subnetId: subnet.id, vpcId: subnet.vpcId }),
      ...(group === undefined ? {} : { securityGroups: [{ id: group.id, name: group.name }] }),
      ...input,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.statusCode = 500;
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const stopTunnels = attachTunnelServer(server, {
    endpoints: eiceEndpoints,
    store,
    credentials,
    permissions: world.permissions,
    sshdFor: (id) => instanceConnect.sshdOf(id),
  });

  return {
    url: `http://127.0.0.1:${port}`,
    accountId,
    regions,
    requests,
    timings,
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = ms;
    },
    get latencyFor() {
      return latencyFor;
    },
    set latencyFor(hook) {
      latencyFor = hook;
    },
    peakInFlight: (action) => (action === undefined ? peakTotal : (peaks.get(action) ?? 0)),
    get serverClockOffsetMs() {
      return serverClockOffsetMs;
    },
    set serverClockOffsetMs(ms: number) {
      serverClockOffsetMs = ms;
    },
    close: async () => {
      if (evaluation) clearInterval(evaluation);
      instanceConnect.close();
      stopTunnels();
      await ssmSessions.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...world.launch.pending]);
      await sshdHooks?.stopAll();
    },
    addInstance,
    ...costControls({ world, store, regions, accountId, addInstance }),
    ...imageControls(world, accountId),
    onVolumeResize: (hook) => {
      world.volumeModifications.resizeHook = hook;
    },
    onVolumeAttach: (hook) => {
      world.volumes.attachHook = hook;
    },
    setInstanceState: (id, state) => {
      const before = store.get(id)?.state;
      store.setState(id, state);
      const instance = store.get(id);
      if (before !== undefined && instance) afterStateChanges(contextFor(instance.region), [{ instanceId: id, previous: before, current: state }]);
    },
    shutdownFromInside: (id) => {
      const change = store.shutdownFromInside(id);
      const instance = store.get(id);
      if (instance) afterStateChanges(contextFor(instance.region), [change]);
    },
    instance: (id) => store.snapshot(id),
    setRegionOptIn: (name, status) => {
      const region = regions.find((r) => r.name === name);
      if (region) region.optInStatus = status;
      else regions.push({ name, optInStatus: status });
    },
    injectError: (spec) => {
      injected.push({ spec, remaining: spec.times ?? 1 });
    },
    clearInjectedErrors: () => {
      injected = [];
    },
    setConsoleOutput: (id, output) => {
      store.consoleOutputs.set(id, output);
    },
    setSerialConsoleAccess: (enabled, managedBy) => {
      world.console.serialAccess = enabled;
      world.console.managedBy = managedBy ?? 'account';
    },
    setConsoleScreenshot: (id, image) => {
      world.console.screenshots.set(id, image);
    },
    setImageName: (imageId, name) => {
      store.imageNames.set(imageId, name);
      world.images.setName(imageId, name);
    },
    image: (region, imageId) => {
      const i = world.images.get(region, imageId);
      return i === undefined ? undefined : { id: i.id, name: i.name, architecture: i.architecture, ownerId: i.ownerId, rootDeviceName: i.rootDeviceName, volumeSize: i.volumeSize };
    },
    removeDefaultVpc: (region) => world.network.removeDefaultVpc(region),
    addVpc: (region, input) => world.network.createVpc(region, input),
    defaultVpc: (region) => {
      const vpc = world.network.defaultVpc(region);
      if (!vpc) return undefined;
      return {
        vpcId: vpc.id,
        subnetIds: world.network.subnetsIn(region).filter((s) => s.vpcId === vpc.id).map((s) => s.id),
        defaultGroupId: world.network.defaultGroup(vpc.id)?.id ?? '',
      };
    },
    securityGroupRules: (region, groupId) =>
      (world.network.groupsIn(region).find((g) => g.id === groupId)?.rules ?? []).map((r) => ({
        egress: r.egress,
        protocol: r.protocol,
        fromPort: r.fromPort,
        toPort: r.toPort,
        cidrIpv4: r.cidrIpv4,
        cidrIpv6: r.cidrIpv6,
        ruleId: r.id,
        description: r.description,
        ...(r.groupId === undefined ? {} : { groupId: r.groupId }),
      })),
    keyPair: (region, name) => {
      const k = world.keyPairs.get(region, name);
      return k === undefined ? undefined : { keyPairId: k.id, keyName: k.name, keyType: k.type, fingerprint: k.fingerprint, publicKey: k.publicKey, tags: Object.fromEntries(k.tags) };
    },
    denyActions: (actions) => world.permissions.deny(actions),
    allowActions: (actions) => world.permissions.allow(actions),
    setVcpuQuota: (bucket, vcpus, opts) => world.launch.setQuota(bucket, vcpus, opts),
    failCapacity: (shortage) => {
      world.launch.shortages.push(shortage);
    },
    clearCapacityFailures: () => {
      world.launch.shortages.length = 0;
    },
    setInstanceTypeOffered: (region, instanceType, availabilityZones) => {
      let map = world.launch.offerings.get(region);
      if (!map) {
        map = new Map();
        world.launch.offerings.set(region, map);
      }
      map.set(instanceType, availabilityZones);
    },
    setParameter: (region, name, value) => {
      let map = parameters.get(region);
      if (!map) {
        map = new Map();
        parameters.set(region, map);
      }
      map.set(name, value);
    },
    sshdFor: (instanceId) => sshdHooks?.sshdFor(instanceId),
    attachSshd: (instanceId, sshd) => instanceConnect.attach(instanceId, sshd),
    instanceConnectPushes: instanceConnect.pushes,
    sessionManager: ssmSessions,
    iam: world.iam,
    instanceConnectEndpoints: eiceEndpoints,
    instanceConnectKeys: (instanceId) => instanceConnect.liveKeys(instanceId),
    get instanceConnectKeyTtlMs() {
      return instanceConnect.ttlMs;
    },
    set instanceConnectKeyTtlMs(ms: number) {
      instanceConnect.ttlMs = ms;
    },
    windowsPassword: (instanceId) => world.windowsPasswords.passwordOf(instanceId),
    get windowsPasswordDelayMs() {
      return world.windowsPasswords.delayMs;
    },
    set windowsPasswordDelayMs(ms: number) {
      world.windowsPasswords.delayMs = ms;
    },
    get launchErrors() {
      return world.launch.hookErrors;
    },
    clearRequests: () => {
      requests.length = 0;
      peaks.clear();
      peakTotal = inFlightTotal;
      for (const [action, count] of inFlight) if (count > 0) peaks.set(action, count);
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
