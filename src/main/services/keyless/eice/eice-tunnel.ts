import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Duplex } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';
import WebSocket from 'ws';
import { HangarError } from '../../../../shared/errors/hangar-error';

/** Where an EC2 Instance Connect Endpoint tunnel goes, and as whom it is signed. */
export interface EiceTunnelTarget {
  readonly region: string;
  readonly endpointId: string;
  readonly dnsName: string;
  readonly privateIp: string;
  readonly remotePort: number;
  /** Seconds; AWS's default and the most an IAM condition commonly allows is 3600. */
  readonly maxTunnelDuration?: number;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  /**
   * The endpoint override the account's AWS clients use (tests, other emulators): the tunnel then goes to that
   * host instead of wss://<dnsName>, plain ws:// for http:// overrides.
   */
  readonly endpointOverride?: URL | undefined;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal | undefined;
}

/** SHA-256 for the signer, from node:crypto (HMAC when given a key), in the shape @smithy/signature-v4 takes. */
type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Source): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly secret: string | Uint8Array | undefined;
  constructor(secret?: Source) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: Source): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

/**
 * The URL the AWS CLI's `ec2-instance-connect open-tunnel` opens: GET /openTunnel with the endpoint, the
 * instance's private address and port, SigV4-presigned in the query for the service ec2-instance-connect,
 * valid 60 s.
 */
export async function presignedTunnelUrl(target: EiceTunnelTarget, now = new Date()): Promise<string> {
  const override = target.endpointOverride;
  const secure = override === undefined || override.protocol === 'https:';
  const host = override === undefined ? target.dnsName : override.host;
  const signer = new SignatureV4({ service: 'ec2-instance-connect', region: target.region, credentials: target.credentials, sha256: NodeSha256 });
  const query: Record<string, string> = {
    instanceConnectEndpointId: target.endpointId,
    remotePort: String(target.remotePort),
    privateIpAddress: target.privateIp,
    maxTunnelDuration: String(target.maxTunnelDuration ?? 3600),
  };
  const signed = await signer.presign(
    { method: 'GET', protocol: secure ? 'https:' : 'http:', hostname: host.replace(/:\d+$/, ''), ...(host.includes(':') ? { port: Number(host.split(':').at(-1)) } : {}), path: '/openTunnel', query, headers: { host } },
    { expiresIn: 60, signingDate: now },
  );
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(signed.query ?? {})) params.append(k, Array.isArray(v) ? v.join(',') : String(v ?? ''));
  return `${secure ? 'wss' : 'ws'}://${host}/openTunnel?${params.toString()}`;
}

/**
 * Opens the tunnel and hands back its byte stream (binary frames both ways), ready for ssh2's `sock`. The
 * endpoint's refusals (HTTP 403 and the like before the upgrade, a close code other than 1000 after it) are
 * said with what to do.
 */
export async function openEiceTunnel(target: EiceTunnelTarget): Promise<Duplex> {
  const url = await presignedTunnelUrl(target);
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: target.timeoutMs ?? 20_000 });
  const where = `${target.endpointId} to ${target.privateIp}:${target.remotePort}`;
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      ws.terminate();
      reject(target.signal?.reason);
    };
    target.signal?.addEventListener('abort', onAbort, { once: true });
    ws.once('open', () => {
      target.signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk.slice(0, 2000)));
      res.on('end', () => {
        ws.terminate();
        reject(refusal(res.statusCode ?? 0, body, where));
      });
    });
    ws.once('error', (error) => {
      target.signal?.removeEventListener('abort', onAbort);
      reject(
        new HangarError({
          code: 'SSH_FAILED',
          message: `The EC2 Instance Connect Endpoint tunnel (${where}) could not be opened: ${error.message}.`,
          hint: 'Check your network connection; the endpoint is reached over HTTPS (port 443).',
          retryable: true,
          cause: error,
        }),
      );
    });
  });
  return tunnelStream(ws, where);
}

function tunnelStream(ws: WebSocket, where: string): Duplex {
  const stream = new Duplex({
    read() {
      ws.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      if (ws.readyState !== WebSocket.OPEN) {
        callback(new Error('the tunnel is closed'));
        return;
      }
      ws.send(chunk, { binary: true }, (error) => callback(error ?? null));
    },
    final(callback) {
      ws.close(1000);
      callback();
    },
    destroy(error, callback) {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      callback(error);
    },
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      stream.destroy(new Error(`The endpoint sent text instead of tunnel bytes (${where}).`));
      return;
    }
    if (!stream.push(data)) ws.pause();
  });
  ws.on('close', (code: number, reason: Buffer) => {
    if (code === 1000 || code === 1005) stream.push(null);
    else stream.destroy(new Error(`The EC2 Instance Connect Endpoint closed the tunnel (${where}): ${reason.toString('utf8') || `code ${code}`}`));
  });
  ws.on('error', (error) => stream.destroy(error));
  return stream;
}

function refusal(status: number, body: string, where: string): HangarError {
  const text = body.replace(/\s+/g, ' ').trim().slice(0, 300);
  if (status === 403) {
    return new HangarError({
      code: 'AWS_UNAUTHORIZED',
      message: `The EC2 Instance Connect Endpoint refused the tunnel (${where})${text === '' ? '' : `: ${text}`}.`,
      hint: 'Your AWS credentials need ec2-instance-connect:OpenTunnel on this endpoint (an IAM condition may also limit the port or the tunnel duration), and the endpoint\'s security group must allow it to reach port 22 of the instance.',
    });
  }
  return new HangarError({
    code: 'SSH_FAILED',
    message: `The EC2 Instance Connect Endpoint did not open the tunnel (${where}): HTTP ${status}${text === '' ? '' : ` ${text}`}.`,
    hint: 'Check that the endpoint is ready (state create-complete) in the VPC console, then try again.',
    retryable: status >= 500 || status === 429,
  });
}
