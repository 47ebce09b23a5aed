import { createHmac } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Sshd } from '../sshd';
import type { Ec2ActionContext } from './ec2-actions';
import { resourceId } from './ids';
import type { InstanceStore } from './instance-store';
import { checkDryRun } from './network-actions';
import type { Permissions } from './permissions';
import { compileFilters } from './resource-filters';
import { sha256Hex } from './sigv4';
import { SimError } from './sim-error';
import { parseTagSpecifications, tagSetXml } from './tags';
import type { SimCredential } from './types';
import { items, node, text } from './xml';

/** One EC2 Instance Connect Endpoint (issue 15): in a subnet, opening tunnels into its VPC. */
export interface SimInstanceConnectEndpoint {
  readonly id: string;
  readonly region: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly dnsName: string;
  readonly securityGroupIds: string[];
  readonly preserveClientIp: boolean;
  readonly createdAt: string;
  readonly tags: Map<string, string>;
  state: 'create-in-progress' | 'create-complete' | 'delete-in-progress' | 'delete-complete';
  readyAt: number;
}

/** A tunnel the endpoint opened, for assertions. */
export interface SimEiceTunnel {
  readonly endpointId: string;
  readonly privateIp: string;
  readonly remotePort: number;
  readonly instanceId: string;
}

export class InstanceConnectEndpoints {
  readonly endpoints = new Map<string, SimInstanceConnectEndpoint>();
  readonly tunnels: SimEiceTunnel[] = [];
  /** How long a new endpoint stays create-in-progress (AWS: a few minutes). */
  createMs = 0;

  list(region: string): SimInstanceConnectEndpoint[] {
    const now = Date.now();
    return [...this.endpoints.values()].filter((e) => {
      if (e.state === 'create-in-progress' && now >= e.readyAt) e.state = 'create-complete';
      return e.region === region && e.state !== 'delete-complete';
    });
  }
}

const ENDPOINT_ID = /^eice-[0-9a-f]{8,17}$/;

function endpointXml(e: SimInstanceConnectEndpoint, accountId: string): string {
  return [
    text('ownerId', accountId),
    text('instanceConnectEndpointId', e.id),
    text('instanceConnectEndpointArn', `arn:aws:ec2:${e.region}:${accountId}:instance-connect-endpoint/${e.id}`),
    text('state', e.state),
    text('stateMessage', ''),
    text('dnsName', e.dnsName),
    text('fipsDnsName', e.dnsName.replace('.ec2-instance-connect-endpoint.', '.fips.ec2-instance-connect-endpoint.')),
    items('networkInterfaceIdSet', [`eni-${e.id.slice(5)}`], (id) => id),
    text('vpcId', e.vpcId),
    text('availabilityZone', e.availabilityZone),
    text('createdAt', e.createdAt),
    text('subnetId', e.subnetId),
    text('preserveClientIp', e.preserveClientIp),
    items('securityGroupIdSet', e.securityGroupIds, (id) => id),
    tagSetXml(e.tags),
    text('ipAddressType', 'ipv4'),
  ].join('');
}

export function instanceConnectEndpointActions(endpoints: InstanceConnectEndpoints): Record<string, (ctx: Ec2ActionContext) => string> {
  return {
    DescribeInstanceConnectEndpoints: (ctx) => {
      ctx.world.permissions.checkEc2('DescribeInstanceConnectEndpoints', ctx);
      const ids = ctx.params.list('InstanceConnectEndpointId');
      const all = endpoints.list(ctx.region);
      for (const id of ids) if (!all.some((e) => e.id === id)) throw new SimError('InvalidInstanceConnectEndpointId.NotFound', `The instance connect endpoint ID '${id}' does not exist`);
      const predicate = compileFilters<SimInstanceConnectEndpoint>(
        ctx.params.filters(),
        {
          'instance-connect-endpoint-id': (e) => [e.id],
          state: (e) => [e.state],
          'subnet-id': (e) => [e.subnetId],
          'vpc-id': (e) => [e.vpcId],
        },
        (e) => e.tags,
      );
      const found = all.filter((e) => (ids.length === 0 || ids.includes(e.id)) && predicate(e));
      return items('instanceConnectEndpointSet', found, (e) => endpointXml(e, ctx.accountId));
    },
    CreateInstanceConnectEndpoint: (ctx) => {
      ctx.world.permissions.checkEc2('CreateInstanceConnectEndpoint', ctx);
      const subnetId = ctx.params.get('SubnetId');
      if (subnetId === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter SubnetId');
      const subnet = ctx.world.network.subnet(ctx.region, subnetId);
      if ([...endpoints.endpoints.values()].some((e) => e.vpcId === subnet.vpcId && e.state !== 'delete-complete' && e.state !== 'delete-in-progress' && e.subnetId === subnetId)) {
        throw new SimError('InstanceConnectEndpointLimitExceeded', 'You have reached the maximum number of EC2 Instance Connect Endpoints for this subnet.');
      }
      const groups = ctx.params.list('SecurityGroupId');
      for (const g of groups) ctx.world.network.group(ctx.region, g);
      checkDryRun(ctx.params);
      const id = resourceId('eice');
      const endpoint: SimInstanceConnectEndpoint = {
        id,
        region: ctx.region,
        vpcId: subnet.vpcId,
        subnetId,
        availabilityZone: subnet.availabilityZone,
        dnsName: `${id}.${sha256Hex(id).slice(0, 8)}.ec2-instance-connect-endpoint.${ctx.region}.amazonaws.com`,
        securityGroupIds: groups.length > 0 ? groups : [ctx.world.network.defaultGroup(subnet.vpcId)?.id ?? ''],
        preserveClientIp: ctx.params.bool('PreserveClientIp'),
        createdAt: new Date().toISOString(),
        tags: parseTagSpecifications(ctx.params, ['instance-connect-endpoint']).get('instance-connect-endpoint') ?? new Map(),
        state: endpoints.createMs > 0 ? 'create-in-progress' : 'create-complete',
        readyAt: Date.now() + endpoints.createMs,
      };
      endpoints.endpoints.set(id, endpoint);
      return node('instanceConnectEndpoint', endpointXml(endpoint, ctx.accountId)) + text('clientToken', ctx.params.get('ClientToken') ?? '');
    },
    DeleteInstanceConnectEndpoint: (ctx) => {
      ctx.world.permissions.checkEc2('DeleteInstanceConnectEndpoint', ctx);
      const id = ctx.params.get('InstanceConnectEndpointId') ?? '';
      if (!ENDPOINT_ID.test(id)) throw new SimError('InvalidInstanceConnectEndpointId.Malformed', `Invalid id: "${id}"`);
      const endpoint = endpoints.list(ctx.region).find((e) => e.id === id);
      if (!endpoint) throw new SimError('InvalidInstanceConnectEndpointId.NotFound', `The instance connect endpoint ID '${id}' does not exist`);
      checkDryRun(ctx.params);
      endpoint.state = 'delete-complete';
      return node('instanceConnectEndpoint', endpointXml({ ...endpoint, state: 'delete-in-progress' }, ctx.accountId));
    },
  };
}

export interface TunnelServerDeps {
  readonly endpoints: InstanceConnectEndpoints;
  readonly store: InstanceStore;
  readonly credentials: readonly SimCredential[];
  readonly permissions: Permissions;
  sshdFor(instanceId: string): Sshd | undefined;
}

/**
 * The endpoints' tunnel service, on the simulator's own HTTP server: GET /openTunnel upgraded to a WebSocket,
 * its SigV4 presigned query (service ec2-instance-connect) checked, then binary frames relayed to port 22 of the
 * instance with that private address in the endpoint's VPC (its rig sshd). Refusals are HTTP errors before the
 * upgrade, as the service answers them.
 */
export function attachTunnelServer(server: Server, deps: TunnelServerDeps): () => void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname !== '/openTunnel') return;
    const refuse = (status: number, message: string): void => {
      socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Bad Request'}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ Message: message })}`);
    };
    const verdict = checkPresigned(req, url, deps.credentials);
    if (verdict !== undefined) {
      refuse(403, verdict);
      return;
    }
    if (deps.permissions.isDenied('ec2-instance-connect', 'OpenTunnel')) {
      refuse(403, 'User is not authorized to perform: ec2-instance-connect:OpenTunnel');
      return;
    }
    const region = /\/\d{8}\/([^/]+)\/ec2-instance-connect\/aws4_request$/.exec(url.searchParams.get('X-Amz-Credential') ?? '')?.[1] ?? '';
    const endpoint = deps.endpoints.list(region).find((e) => e.id === url.searchParams.get('instanceConnectEndpointId'));
    if (!endpoint || endpoint.state !== 'create-complete') {
      refuse(404, `The instance connect endpoint ${url.searchParams.get('instanceConnectEndpointId') ?? ''} does not exist or is not ready.`);
      return;
    }
    const privateIp = url.searchParams.get('privateIpAddress') ?? '';
    const remotePort = Number(url.searchParams.get('remotePort'));
    const instance = deps.store.list(region).find((i) => i.privateIp === privateIp && i.vpcId === endpoint.vpcId && i.state === 'running');
    const sshd = instance === undefined ? undefined : deps.sshdFor(instance.id);
    if (!instance || !sshd || remotePort !== 22) {
      refuse(400, `Unable to reach ${privateIp}:${remotePort} from ${endpoint.id}.`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      deps.endpoints.tunnels.push({ endpointId: endpoint.id, privateIp, remotePort, instanceId: instance.id });
      relay(ws, connect({ host: sshd.host, port: sshd.port }));
    });
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}

function relay(ws: WebSocket, tcp: Socket): void {
  tcp.setNoDelay(true);
  tcp.on('data', (data: Buffer) => ws.send(data, { binary: true }));
  tcp.on('close', () => ws.close(1000));
  tcp.on('error', () => ws.close(1011, 'The connection to the instance failed.'));
  ws.on('message', (data: Buffer) => tcp.write(data));
  ws.on('close', () => tcp.destroy());
  ws.on('error', () => tcp.destroy());
}

/** undefined when the presigned query is good; else why it is not (AWS answers 403 for each). */
function checkPresigned(req: IncomingMessage, url: URL, credentials: readonly SimCredential[]): string | undefined {
  const q = url.searchParams;
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'Missing or unsupported X-Amz-Algorithm.';
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(q.get('X-Amz-Credential') ?? '');
  if (!credential || credential[4] !== 'ec2-instance-connect') return 'The credential scope is not for ec2-instance-connect.';
  const [, accessKeyId = '', date = '', region = ''] = credential;
  const key = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!key) return 'The security token included in the request is invalid.';
  const amzDate = q.get('X-Amz-Date') ?? '';
  const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const expires = Number(q.get('X-Amz-Expires') ?? '0');
  if (!Number.isFinite(signedAt) || Date.now() > signedAt + expires * 1000 + 5_000) return 'Signature expired.';
  if (key.sessionToken !== undefined && q.get('X-Amz-Security-Token') !== key.sessionToken) return 'The security token included in the request is invalid.';
  const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  const canonicalQuery = [...q.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [escape(k), escape(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
  const scope = `${date}/${region}/ec2-instance-connect/aws4_request`;
  const kDate = createHmac('sha256', `AWS4${key.secretAccessKey}`).update(date).digest();
  const kSigning = createHmac('sha256', createHmac('sha256', createHmac('sha256', kDate).update(region).digest()).update('ec2-instance-connect').digest()).update('aws4_request').digest();
  for (const payload of [sha256Hex(''), 'UNSIGNED-PAYLOAD']) {
    const canonicalRequest = ['GET', url.pathname, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), payload].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
    if (createHmac('sha256', kSigning).update(toSign).digest('hex') === q.get('X-Amz-Signature')) return undefined;
  }
  return 'The request signature we calculated does not match the signature you provided.';
}

function escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
