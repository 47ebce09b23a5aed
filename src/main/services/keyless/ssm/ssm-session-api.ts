import { DescribeInstanceInformationCommand, StartSessionCommand, TerminateSessionCommand } from '@aws-sdk/client-ssm';
import { HangarError } from '../../../../shared/errors/hangar-error';
import type { AwsClientFactory } from '../../aws/aws-client-factory';
import { awsCodeOf, awsMessageOf } from '../../aws/aws-error-fields';
import { callAws } from '../../aws/call-aws';
import { scrubAwsMessage } from '../../aws/scrub-aws-message';

export const SSM_START_SESSION = 'ssm:StartSession';
export const SSM_SHELL_DOCUMENT = 'SSM-SessionManagerRunShell';
export const SSM_PORT_DOCUMENT = 'AWS-StartPortForwardingSession';
/** Runs one command (sh -c) and ends the session when it exits: what Jupyter's launcher uses with port 22 closed. */
export const SSM_COMMAND_DOCUMENT = 'AWS-StartNonInteractiveCommand';

export interface SsmTarget {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  /** The instance's name for messages. */
  readonly title: string;
}

export interface StartedSsmSession {
  readonly sessionId: string;
  readonly tokenValue: string;
  readonly streamUrl: string;
}

/** What Session Manager knows of an instance's agent; `unregistered` when the instance has never reported in. */
export type SsmAgentStatus = { readonly kind: 'online'; readonly agentVersion: string } | { readonly kind: 'offline'; readonly pingStatus: string } | { readonly kind: 'unregistered' };

export interface SsmSessionApi {
  agentStatus(target: SsmTarget, signal?: AbortSignal): Promise<SsmAgentStatus>;
  start(target: SsmTarget, document: { name: string; parameters?: Record<string, string[]> }, signal?: AbortSignal): Promise<StartedSsmSession>;
  terminate(target: SsmTarget, sessionId: string): Promise<void>;
}

/** The three Session Manager calls, through the account's client pool, with their errors said with a fix. */
export function createSsmSessionApi(deps: { clientsFor(accountId: string): AwsClientFactory }): SsmSessionApi {
  const ssm = (target: SsmTarget) => deps.clientsFor(target.accountId).ssm(target.region);
  return {
    agentStatus: async (target, signal) => {
      try {
        const out = await callAws(
          () => ssm(target).send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [target.instanceId] }] }), { abortSignal: signal }),
          { action: 'ssm:DescribeInstanceInformation', region: target.region, signal },
        );
        const info = out.InstanceInformationList?.find((i) => i.InstanceId === target.instanceId);
        if (!info) return { kind: 'unregistered' };
        return info.PingStatus === 'Online' ? { kind: 'online', agentVersion: info.AgentVersion ?? '' } : { kind: 'offline', pingStatus: info.PingStatus ?? 'Unknown' };
      } catch (error) {
        throw ssmError(error, target, 'ssm:DescribeInstanceInformation');
      }
    },
    start: async (target, document, signal) => {
      try {
        const out = await callAws(
          () =>
            ssm(target).send(
              new StartSessionCommand({
                Target: target.instanceId,
                ...(document.name === SSM_SHELL_DOCUMENT ? {} : { DocumentName: document.name }),
                ...(document.parameters === undefined ? {} : { Parameters: document.parameters }),
              }),
              { abortSignal: signal },
            ),
          { action: SSM_START_SESSION, region: target.region, signal },
        );
        if (out.SessionId === undefined || out.TokenValue === undefined || out.StreamUrl === undefined) {
          throw new HangarError({ code: 'SSM_SESSION_FAILED', message: `Session Manager started no usable session for ${target.title}.`, hint: 'Try again in a moment.', retryable: true });
        }
        return { sessionId: out.SessionId, tokenValue: out.TokenValue, streamUrl: out.StreamUrl };
      } catch (error) {
        throw ssmError(error, target, SSM_START_SESSION);
      }
    },
    terminate: async (target, sessionId) => {
      try {
        await callAws(() => ssm(target).send(new TerminateSessionCommand({ SessionId: sessionId })), { action: 'ssm:TerminateSession', region: target.region });
      } catch (error) {
        throw ssmError(error, target, 'ssm:TerminateSession');
      }
    },
  };
}

/** Session Manager's own errors; callAws has already mapped network, credential and throttling failures. */
function ssmError(error: unknown, target: SsmTarget, action: string): unknown {
  if (!(error instanceof HangarError)) return error;
  const raw = error.cause;
  const awsMessage = scrubAwsMessage(awsMessageOf(raw));
  const details = { ...error.details, instanceId: target.instanceId, action };
  const make = (code: HangarError['code'], message: string, hint: string, retryable = false): HangarError => new HangarError({ code, message, hint, retryable, details, cause: raw });
  switch (awsCodeOf(raw)) {
    case 'TargetNotConnected':
      return make(
        'SSM_AGENT_OFFLINE',
        `The Session Manager agent on ${target.title} is not connected.`,
        'The instance needs the SSM agent running, an instance profile with AmazonSSMManagedInstanceCore and outbound HTTPS to AWS. A just-started instance can take a few minutes to register; otherwise connect with SSH.',
        true,
      );
    case 'InvalidDocument':
    case 'InvalidDocumentOperation':
      return make('SSM_SESSION_FAILED', `Session Manager refused the session document for ${target.title}${awsMessage === '' ? '' : `: ${awsMessage}`}.`, 'Ask your AWS administrator to allow this Session Manager document in your IAM policy.');
    case 'InvalidParameters':
      return make('SSM_SESSION_FAILED', `Session Manager refused the session parameters for ${target.title}${awsMessage === '' ? '' : `: ${awsMessage}`}.`, 'Check the port number and try again.');
    case 'AccessDeniedException':
      return make('AWS_UNAUTHORIZED', `Your AWS credentials are not allowed to use Session Manager on ${target.title} (${action}).`, `Ask your AWS administrator to allow ${action} on this instance and the session document in your IAM policy, or connect with SSH.`);
    default:
      return error;
  }
}
