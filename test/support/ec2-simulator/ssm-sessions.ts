import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { WebSocketServer } from 'ws';
import type { InstanceStore } from './instance-store';
import { checkAllowed, optionalArray, optionalNumber, optionalObject, optionalString, requiredString, type JsonAction } from './json-protocol';
import { startPtyShell } from './pty-shell';
import { SimError } from './sim-error';
import { SsmAgentChannel, type AgentBackend, type AgentOutput, type AgentSession } from './ssm-agent-channel';

/** One StartSession the simulator accepted, for assertions. */
export interface SimSsmSession {
  readonly sessionId: string;
  readonly instanceId: string;
  readonly documentName: string;
  status: 'Connected' | 'Terminated';
  /** Stream sequence numbers the agent took from the client, in the order it delivered them. */
  readonly inputSequence: number[];
}

/** Test controls for Session Manager. */
export interface SimSessionManager {
  /** Marks the SSM agent of an instance online (registered and pinging) or lost. */
  setAgentOnline(instanceId: string, online: boolean): void;
  readonly sessions: readonly SimSsmSession[];
  /** Drop every Nth stream frame in each direction once (0: none), so both ends must resend. */
  dropEvery: number;
  /** Cuts every open data-channel WebSocket without a channel_closed, as a network drop would. */
  dropConnections(): void;
  /** Environment the agent's shells and commands get on top of PATH / HOME (e.g. the rig's HOME). */
  agentEnv: Record<string, string>;
}

const SHELL_DOCUMENT = 'SSM-SessionManagerRunShell';
const PORT_DOCUMENTS = new Set(['AWS-StartPortForwardingSession', 'AWS-StartPortForwardingSessionToRemoteHost']);
// Runs its `command` parameter with `sh -c` (as the agent's NonInteractiveCommands plugin does) and ends the session when it exits.
const COMMAND_DOCUMENT = 'AWS-StartNonInteractiveCommand';
// A current agent; Hangar's client reports a plugin version that predates TCP multiplexing, so port
// sessions use basic forwarding (one TCP connection per session), which is what the agent below speaks.
const AGENT_VERSION = '3.3.1142.0';
const PAUSE_BACKLOG = 2000;

interface LiveSession {
  readonly record: SimSsmSession;
  readonly agent: AgentSession;
  readonly documentName: string;
  readonly parameters: Record<string, string[]>;
  channel: SsmAgentChannel | undefined;
}

/**
 * Session Manager: DescribeInstanceInformation for the agents tests put online, StartSession / TerminateSession,
 * and a loopback data-channel server (what ssmmessages.<region>.amazonaws.com is on AWS) whose agent runs a real
 * bash in a pty, or relays to a real TCP port on this machine for the port-forwarding documents.
 */
export class SsmSessions implements SimSessionManager {
  readonly sessions: SimSsmSession[] = [];
  dropEvery = 0;
  agentEnv: Record<string, string> = {};
  private readonly agents = new Map<string, { online: boolean; registered: number }>();
  private readonly live = new Map<string, LiveSession>();
  private server: WebSocketServer | undefined;
  private listening: Promise<number> | undefined;

  setAgentOnline(instanceId: string, online: boolean): void {
    this.agents.set(instanceId, { online, registered: this.agents.get(instanceId)?.registered ?? Math.floor(Date.now() / 1000) });
  }

  isOnline(instanceId: string): boolean {
    return this.agents.get(instanceId)?.online === true;
  }

  registered(): [string, { online: boolean; registered: number }][] {
    return [...this.agents.entries()];
  }

  async start(instanceId: string, documentName: string, parameters: Record<string, string[]>): Promise<{ sessionId: string; tokenValue: string; streamUrl: string }> {
    const port = await this.listen();
    const sessionId = `hangar-test-${randomBytes(9).toString('hex').slice(0, 17)}`;
    const tokenValue = randomBytes(48).toString('base64');
    const isPort = PORT_DOCUMENTS.has(documentName);
    const sessionType = isPort ? 'Port' : documentName === COMMAND_DOCUMENT ? 'NonInteractiveCommands' : 'Standard_Stream';
    const properties = isPort
      ? { portNumber: parameters.portNumber?.[0] ?? '80', type: 'LocalPortForwarding', ...(parameters.localPortNumber?.[0] === undefined ? {} : { localPortNumber: parameters.localPortNumber[0] }) }
      : null;
    const record: SimSsmSession = { sessionId, instanceId, documentName, status: 'Connected', inputSequence: [] };
    this.sessions.push(record);
    this.live.set(sessionId, { record, documentName, parameters, channel: undefined, agent: { sessionId, tokenValue, sessionType, properties } });
    return { sessionId, tokenValue, streamUrl: `ws://127.0.0.1:${port}/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=AAEAAQ` };
  }

  terminate(sessionId: string): void {
    const session = this.live.get(sessionId);
    if (!session) return;
    session.record.status = 'Terminated';
    session.channel?.terminate();
    this.live.delete(sessionId);
  }

  dropConnections(): void {
    for (const client of this.server?.clients ?? []) client.terminate();
  }

  close(): Promise<void> {
    for (const id of [...this.live.keys()]) this.terminate(id);
    const server = this.server;
    if (!server) return Promise.resolve();
    for (const client of server.clients) client.terminate();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<number> {
    this.listening ??= new Promise<number>((resolve, reject) => {
      const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
      this.server = server;
      server.once('error', reject);
      server.once('listening', () => resolve((server.address() as AddressInfo).port));
      server.on('connection', (ws, req) => {
        const sessionId = /^\/v1\/data-channel\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
        const session = this.live.get(sessionId);
        if (!session || session.channel) {
          ws.close(1008, 'unknown session');
          return;
        }
        const channel = new SsmAgentChannel(
          ws,
          session.agent,
          { agentVersion: AGENT_VERSION, dropEvery: this.dropEvery, retransmitMs: 200, inputLog: session.record.inputSequence },
          (output) =>
            session.agent.sessionType === 'Port'
              ? portBackend(output, session.parameters)
              : session.agent.sessionType === 'NonInteractiveCommands'
                ? commandBackend(output, session.parameters.command?.[0] ?? '', this.agentEnv)
                : shellBackend(output, this.agentEnv),
          () => {
            session.record.status = 'Terminated';
            this.live.delete(sessionId);
          },
        );
        session.channel = channel;
      });
    });
    return this.listening;
  }
}

/** `sh -c <command>` with pipes, its stdout and stderr both sent as output; the session ends when it exits. */
function commandBackend(output: AgentOutput, command: string, env: Record<string, string>): AgentBackend {
  const child = spawn('sh', ['-c', command], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: env.HOME ?? tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), LANG: 'C.UTF-8', ...env },
  });
  child.stdout.on('data', (d: Buffer) => output.write(d));
  child.stderr.on('data', (d: Buffer) => output.write(d));
  child.stdin.on('error', () => undefined);
  child.on('error', (error) => output.end(`Failed to start the command: ${error.message}`));
  child.on('close', () => output.end(''));
  return {
    input: (data) => child.stdin.write(data),
    resize: () => undefined,
    flag: (flag) => {
      if (flag === 2) child.kill('SIGHUP');
    },
    close: () => {
      if (child.exitCode === null) child.kill('SIGHUP');
    },
  };
}

function shellBackend(output: AgentOutput, env: Record<string, string>): AgentBackend {
  const shell = startPtyShell(
    (data) => {
      output.write(data);
      // The agent stops reading the pty while the client is far behind, as the real one pauses publication.
      if (output.backlog > PAUSE_BACKLOG) {
        shell.child.stdout?.pause();
        const wait = setInterval(() => {
          if (output.backlog > PAUSE_BACKLOG / 4) return;
          clearInterval(wait);
          shell.child.stdout?.resume();
        }, 20);
      }
    },
    (code) => output.end(code === 0 ? '' : `Shell exited with code ${code}.`),
    undefined,
    env,
  );
  return {
    input: (data) => shell.write(data),
    resize: (cols, rows) => shell.resize(cols, rows),
    flag: (flag) => {
      if (flag === 2) shell.kill();
    },
    close: () => shell.kill(),
  };
}

/**
 * Basic port forwarding as the agent does it (port_basic.go): the port is dialled when the session starts
 * (a refusal ends the session with the error as its output); when the port closes its side, or the client
 * sends DisconnectToPort, the connection is dropped and dialled again on the next input.
 */
function portBackend(output: AgentOutput, parameters: Record<string, string[]>): AgentBackend {
  const host = parameters.host?.[0] ?? '127.0.0.1';
  const port = Number(parameters.portNumber?.[0] ?? '80');
  const dial = (first: boolean): Socket => {
    const s = connect({ host, port });
    let connected = false;
    s.on('connect', () => (connected = true));
    s.on('data', (d: Buffer) => output.write(d));
    s.on('error', (error: NodeJS.ErrnoException) => {
      if (first && !connected) output.end(`Unable to connect to specified port: dial tcp ${host}:${port}: connect: ${error.code === 'ECONNREFUSED' ? 'connection refused' : error.message}`);
    });
    s.on('close', () => {
      if (socket === s) socket = undefined;
    });
    return s;
  };
  let socket: Socket | undefined = dial(true);
  return {
    input: (data) => {
      socket ??= dial(false);
      socket.write(data);
    },
    resize: () => undefined,
    flag: (flag) => {
      if (flag === 1) {
        socket?.end();
        socket = undefined;
      } else if (flag === 2) output.end('');
    },
    close: () => socket?.destroy(),
  };
}

const INSTANCE_ID = /^(i-[0-9a-f]{8,17}|mi-[0-9a-f]{17})$/;

export function sessionManagerActions(ssm: SsmSessions, store: InstanceStore): Readonly<Record<string, JsonAction>> {
  return {
    DescribeInstanceInformation: (ctx) => {
      checkAllowed(ctx, 'ssm', ['DescribeInstanceInformation'], '*');
      const max = optionalNumber(ctx.input, 'MaxResults') ?? 50;
      if (!Number.isInteger(max) || max < 5 || max > 50) {
        throw new SimError('ValidationException', `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 50`);
      }
      const wanted = new Map<string, string[]>();
      for (const f of optionalArray(ctx.input, 'Filters') ?? []) {
        const { Key: key, Values: values } = f as { Key?: unknown; Values?: unknown };
        if (typeof key !== 'string' || !Array.isArray(values)) throw new SimError('InvalidFilterKey', 'The specified filter key is not valid.');
        wanted.set(key, values.map(String));
      }
      for (const f of optionalArray(ctx.input, 'InstanceInformationFilterList') ?? []) {
        const { key, valueSet } = f as { key?: unknown; valueSet?: unknown };
        if (typeof key !== 'string' || !Array.isArray(valueSet)) throw new SimError('InvalidFilterKey', 'The specified filter key is not valid.');
        wanted.set(key, valueSet.map(String));
      }
      for (const key of wanted.keys()) if (!['InstanceIds', 'PingStatus', 'PlatformTypes', 'ResourceType'].includes(key)) throw new SimError('InvalidFilterKey', `The filter key ${key} is not valid.`);
      const ids = wanted.get('InstanceIds');
      const bad = ids?.find((id) => !INSTANCE_ID.test(id));
      if (bad !== undefined) throw new SimError('InvalidInstanceId', `Instance Id ${bad} is not valid.`);
      const list = ssm
        .registered()
        .map(([id, agent]) => ({ id, agent, instance: store.get(id) }))
        .filter(({ instance }) => instance !== undefined && instance.region === ctx.region && instance.state !== 'terminated')
        .map(({ id, agent, instance }) => ({
          InstanceId: id,
          PingStatus: agent.online && instance?.state === 'running' ? 'Online' : 'ConnectionLost',
          LastPingDateTime: Math.floor(Date.now() / 1000) - (agent.online ? 30 : 3600),
          AgentVersion: AGENT_VERSION,
          IsLatestVersion: true,
          PlatformType: 'Linux',
          PlatformName: 'Amazon Linux',
          PlatformVersion: '2023',
          ResourceType: 'EC2Instance',
          IPAddress: instance?.privateIp,
          ComputerName: `ip-${(instance?.privateIp ?? '10.0.0.1').replace(/\./g, '-')}.${ctx.region}.compute.internal`,
          RegistrationDate: agent.registered,
        }))
        .filter((i) => (ids === undefined || ids.includes(i.InstanceId)) && (wanted.get('PingStatus')?.includes(i.PingStatus) ?? true));
      const token = optionalString(ctx.input, 'NextToken');
      const offset = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) throw new SimError('InvalidNextToken', 'The specified token is not valid.');
      const page = list.slice(offset, offset + max);
      const next = offset + page.length < list.length ? Buffer.from(String(offset + page.length)).toString('base64url') : undefined;
      return { InstanceInformationList: page, ...(next === undefined ? {} : { NextToken: next }) };
    },
    StartSession: async (ctx) => {
      const target = requiredString(ctx.input, 'Target');
      const documentName = optionalString(ctx.input, 'DocumentName') ?? SHELL_DOCUMENT;
      checkAllowed(ctx, 'ssm', ['StartSession'], `arn:aws:ec2:${ctx.region}:${ctx.accountId}:instance/${target}`);
      if (documentName !== SHELL_DOCUMENT && documentName !== COMMAND_DOCUMENT && !PORT_DOCUMENTS.has(documentName)) throw new SimError('InvalidDocument', `Document ${documentName} does not exist in your account.`);
      const rawParameters = optionalObject(ctx.input, 'Parameters') ?? {};
      const parameters: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(rawParameters)) {
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new SimError('ValidationException', `Parameter ${k} must be a list of strings.`);
        parameters[k] = v as string[];
      }
      if (documentName === COMMAND_DOCUMENT && (parameters.command?.[0] ?? '').trim() === '') throw new SimError('InvalidParameters', 'The command parameter is required for AWS-StartNonInteractiveCommand.');
      if (PORT_DOCUMENTS.has(documentName) && !/^\d{1,5}$/.test(parameters.portNumber?.[0] ?? '80')) throw new SimError('InvalidParameters', 'portNumber must be a number between 1 and 65535.');
      const instance = store.get(target);
      if (!instance || instance.region !== ctx.region || instance.state !== 'running' || !ssm.isOnline(target)) {
        throw new SimError('TargetNotConnected', `${target} is not connected.`);
      }
      const started = await ssm.start(target, documentName, parameters);
      return { SessionId: started.sessionId, TokenValue: started.tokenValue, StreamUrl: started.streamUrl };
    },
    TerminateSession: (ctx) => {
      const sessionId = requiredString(ctx.input, 'SessionId');
      checkAllowed(ctx, 'ssm', ['TerminateSession'], `arn:aws:ssm:${ctx.region}:${ctx.accountId}:session/${sessionId}`);
      ssm.terminate(sessionId);
      return { SessionId: sessionId };
    },
  };
}
