import { GetConsoleScreenshotCommand, GetSerialConsoleAccessStatusCommand } from '@aws-sdk/client-ec2';
import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { ConsoleScreenshot, ConsoleView, SerialConsoleAccess } from '../../../shared/models/console-output';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws } from '../aws/call-aws';
import type { Ec2Service } from '../ec2/ec2-service';

export interface ConsoleService {
  /** The newest console text (live where the instance type has it) and whether the serial console may be used. */
  view(ref: InstanceRef, signal?: AbortSignal): Promise<ConsoleView>;
  /** What the instance's screen shows now (running instances only). */
  screenshot(ref: InstanceRef, signal?: AbortSignal): Promise<ConsoleScreenshot>;
}

export interface ConsoleServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  ec2: Pick<Ec2Service, 'consoleSnapshot'>;
}

// What EC2 answers when an instance type (Xen, not Nitro) has no live console output to give.
const NO_LATEST = new Set(['UnsupportedOperation', 'InvalidParameterCombination', 'InvalidParameterValue']);

/** The console panel's calls: GetConsoleOutput (Latest), GetConsoleScreenshot, GetSerialConsoleAccessStatus. */
export function createConsoleService(deps: ConsoleServiceDeps): ConsoleService {
  const ec2 = (ref: InstanceRef) => deps.clientsFor(ref.accountId).ec2(ref.region);

  async function serialConsole(ref: InstanceRef, signal?: AbortSignal): Promise<SerialConsoleAccess | undefined> {
    try {
      const out = await callAws(() => ec2(ref).send(new GetSerialConsoleAccessStatusCommand({}), { abortSignal: signal }), {
        action: 'ec2:GetSerialConsoleAccessStatus',
        region: ref.region,
        signal,
      });
      const managedBy = out.ManagedBy === 'account' || out.ManagedBy === 'declarative-policy' ? out.ManagedBy : undefined;
      return { enabled: out.SerialConsoleAccessEnabled === true, ...(managedBy === undefined ? {} : { managedBy }) };
    } catch (error) {
      // Only a footnote to the console text: without the permission the panel simply does not mention it.
      if (isCancelled(error)) throw error;
      return undefined;
    }
  }

  async function text(ref: InstanceRef, signal?: AbortSignal): Promise<{ text: string | undefined; updatedAt: string | undefined; latest: boolean }> {
    try {
      return { ...(await deps.ec2.consoleSnapshot(ref.accountId, ref.region, ref.instanceId, { latest: true }, signal)), latest: true };
    } catch (error) {
      const awsCode = error instanceof HangarError ? error.details?.awsCode : undefined;
      if (typeof awsCode !== 'string' || !NO_LATEST.has(awsCode)) throw error;
      return { ...(await deps.ec2.consoleSnapshot(ref.accountId, ref.region, ref.instanceId, {}, signal)), latest: false };
    }
  }

  return {
    async view(ref, signal) {
      const [output, serial] = await Promise.all([text(ref, signal), serialConsole(ref, signal)]);
      return {
        instanceId: ref.instanceId,
        latest: output.latest,
        ...(output.text === undefined ? {} : { text: output.text }),
        ...(output.updatedAt === undefined ? {} : { updatedAt: output.updatedAt }),
        ...(serial === undefined ? {} : { serialConsole: serial }),
      };
    },

    async screenshot(ref, signal) {
      const out = await callAws(() => ec2(ref).send(new GetConsoleScreenshotCommand({ InstanceId: ref.instanceId, WakeUp: true }), { abortSignal: signal }), {
        action: 'ec2:GetConsoleScreenshot',
        region: ref.region,
        signal,
      });
      const base64 = out.ImageData ?? '';
      const mimeType = imageType(base64);
      if (mimeType === undefined) {
        throw new HangarError({
          code: 'AWS_REQUEST_FAILED',
          message: 'AWS sent no screenshot of this instance.',
          hint: 'Screenshots need a running instance; try again in a moment.',
          retryable: true,
        });
      }
      return { mimeType, base64 };
    },
  };
}

/** Reads the picture's type from its first bytes (AWS documents JPG; anything else is not shown). */
function imageType(base64: string): ConsoleScreenshot['mimeType'] | undefined {
  const head = Buffer.from(base64.slice(0, 16), 'base64');
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}
