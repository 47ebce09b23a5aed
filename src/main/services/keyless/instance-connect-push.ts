import { SendSSHPublicKeyCommand, EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { awsCodeOf, awsMessageOf } from '../aws/aws-error-fields';
import { callAws } from '../aws/call-aws';
import { scrubAwsMessage } from '../aws/scrub-aws-message';

export const SEND_SSH_PUBLIC_KEY = 'ec2-instance-connect:SendSSHPublicKey';

/** Where the key goes: the instance, its zone (AWS checks it when given) and the OS user it is for. */
export interface InstanceConnectPush {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  readonly osUser: string;
  /** `ssh-ed25519 AAAA…` */
  readonly publicKey: string;
  readonly availabilityZone?: string;
  /** The instance's name for messages. */
  readonly title: string;
}

/** Pushes a public key with SendSSHPublicKey: it is authorised for `osUser` for 60 seconds. */
export type PushInstanceConnectKey = (push: InstanceConnectPush, signal?: AbortSignal) => Promise<void>;

/** SendSSHPublicKey through the account's client pool (endpoint overrides apply as to every client). */
export function createInstanceConnectPush(deps: { clientsFor(accountId: string): AwsClientFactory }): PushInstanceConnectKey {
  return async (push, signal) => {
    try {
      await callAws(
        async () => {
          const out = await deps
            .clientsFor(push.accountId)
            .client(EC2InstanceConnectClient, push.region)
            .send(
              new SendSSHPublicKeyCommand({
                InstanceId: push.instanceId,
                InstanceOSUser: push.osUser,
                SSHPublicKey: push.publicKey,
                ...(push.availabilityZone === undefined ? {} : { AvailabilityZone: push.availabilityZone }),
              }),
              { abortSignal: signal },
            );
          if (out.Success === false) throw Object.assign(new Error('SendSSHPublicKey did not succeed'), { name: 'ServiceException' });
        },
        { action: SEND_SSH_PUBLIC_KEY, region: push.region, signal },
      );
    } catch (error) {
      throw instanceConnectError(error, push);
    }
  };
}

/**
 * EC2 Instance Connect's own errors, each with its fix. The raw SDK error is read from the mapped error's
 * cause: callAws has already turned network, credential and throttling failures into their usual errors.
 */
function instanceConnectError(error: unknown, push: InstanceConnectPush): unknown {
  if (!(error instanceof HangarError)) return error;
  const raw = error.cause;
  const code = awsCodeOf(raw);
  const awsMessage = scrubAwsMessage(awsMessageOf(raw));
  const details = { ...error.details, instanceId: push.instanceId, action: SEND_SSH_PUBLIC_KEY };
  const make = (c: HangarError['code'], message: string, hint: string, retryable = false): HangarError =>
    new HangarError({ code: c, message, hint, retryable, details, cause: raw });
  switch (code) {
    case 'AccessDeniedException':
    case 'AuthException':
      return make(
        'AWS_UNAUTHORIZED',
        `Your AWS credentials are not allowed to push a one-minute key to ${push.title} (${SEND_SSH_PUBLIC_KEY}).`,
        `Ask your AWS administrator to allow ${SEND_SSH_PUBLIC_KEY} on this instance in your IAM policy, or connect with the key pair's private key instead (import its .pem in Accounts → SSH keys).`,
      );
    case 'EC2InstanceStateInvalidException':
      return make(
        'INSTANCE_STOPPED',
        `${push.title} is not running, so EC2 Instance Connect cannot reach it.`,
        'Start the instance, wait until it shows Running, then connect again.',
      );
    case 'EC2InstanceNotFoundException':
      return make('AWS_NOT_FOUND', `AWS could not find ${push.instanceId} in ${push.region}.`, 'It may have been terminated; refresh the instance list.');
    case 'EC2InstanceUnavailableException':
      return make(
        'AWS_REQUEST_FAILED',
        `${push.title} is not available to EC2 Instance Connect right now.`,
        'Wait a minute (an instance that just started may not be ready yet) and connect again.',
        true,
      );
    case 'EC2InstanceTypeInvalidException':
      return make('SSH_INSTANCE_CONNECT_UNSUPPORTED', `EC2 Instance Connect does not support the instance type of ${push.title}.`, 'Connect with the key pair\'s private key instead (import its .pem in Accounts → SSH keys).');
    case 'InvalidArgsException':
      return make(
        'SSH_INSTANCE_CONNECT_UNSUPPORTED',
        `EC2 Instance Connect refused the request for ${push.title}${awsMessage === '' ? '' : `: ${awsMessage}`}.`,
        `Check the login user (${push.osUser}) in the instance's connection settings: it must be a valid Linux user name.`,
      );
    default:
      return error;
  }
}
