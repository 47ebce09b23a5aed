import type { SimWorld } from './ec2-actions';
import type { InstanceStore } from './instance-store';
import type { LaunchState } from './launch';
import type { Permissions } from './permissions';
import { SimError } from './sim-error';

/**
 * The services that speak AWS JSON RPC: POST /, X-Amz-Target `<Target>.<Operation>`, JSON in and out. The
 * installed SDK clients use JSON 1.1 for SSM, Service Quotas, Pricing, Budgets and Cost Explorer, and JSON 1.0
 * in awsQuery-compatible mode for CloudWatch (it sends `x-amzn-query-mode: true` and reads the awsQuery error
 * code from the `x-amzn-query-error` header). The service itself comes from the SigV4 credential scope;
 * CloudWatch signs as `monitoring`.
 */
export type JsonService = 'ssm' | 'servicequotas' | 'pricing' | 'budgets' | 'ce' | 'monitoring' | 'ec2-instance-connect';

interface JsonServiceSpec {
  readonly target: string;
  readonly jsonVersion: '1.0' | '1.1';
  /** Smithy namespace for `__type` when the service is awsQuery-compatible. */
  readonly queryCompatibleNamespace?: string;
  /** awsQuery error code → the Smithy error shape `__type` names (the SDK names the error after the shape). */
  readonly queryErrorShapes?: Readonly<Record<string, string>>;
}

export const JSON_SERVICES: Readonly<Record<JsonService, JsonServiceSpec>> = {
  ssm: { target: 'AmazonSSM', jsonVersion: '1.1' },
  servicequotas: { target: 'ServiceQuotasV20190624', jsonVersion: '1.1' },
  pricing: { target: 'AWSPriceListService', jsonVersion: '1.1' },
  budgets: { target: 'AWSBudgetServiceGateway', jsonVersion: '1.1' },
  ce: { target: 'AWSInsightsIndexService', jsonVersion: '1.1' },
  // @aws-sdk/client-ec2-instance-connect: AwsJson1_1Protocol, serviceTarget AWSEC2InstanceConnectService,
  // signing name ec2-instance-connect.
  'ec2-instance-connect': { target: 'AWSEC2InstanceConnectService', jsonVersion: '1.1' },
  monitoring: {
    target: 'GraniteServiceVersion20100801',
    jsonVersion: '1.0',
    queryCompatibleNamespace: 'com.amazonaws.cloudwatch',
    queryErrorShapes: {
      ValidationError: 'ValidationException',
      MissingParameter: 'MissingRequiredParameterException',
      InvalidParameterValue: 'InvalidParameterValueException',
      InvalidParameterCombination: 'InvalidParameterCombinationException',
      InvalidFormat: 'InvalidFormatFault',
      LimitExceeded: 'LimitExceededFault',
    },
  },
};

export function isJsonService(service: string): service is JsonService {
  return Object.hasOwn(JSON_SERVICES, service);
}

export function jsonServiceOfTarget(target: string): JsonService | undefined {
  return (Object.keys(JSON_SERVICES) as JsonService[]).find((s) => target.startsWith(`${JSON_SERVICES[s].target}.`));
}

export function jsonContentType(service: JsonService): string {
  return `application/x-amz-json-${JSON_SERVICES[service].jsonVersion}`;
}

/** The error body (and, for awsQuery-compatible services, the header carrying the query error code). */
export function jsonError(service: JsonService, error: SimError): { body: string; headers: Record<string, string> } {
  const { queryCompatibleNamespace: namespace, queryErrorShapes } = JSON_SERVICES[service];
  if (namespace === undefined) return { body: JSON.stringify({ __type: error.code, message: error.message }), headers: {} };
  return {
    body: JSON.stringify({ __type: `${namespace}#${queryErrorShapes?.[error.code] ?? error.code}`, message: error.message }),
    headers: { 'x-amzn-query-error': `${error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}` },
  };
}

export interface JsonActionContext {
  input: Record<string, unknown>;
  region: string;
  accountId: string;
  launch: LaunchState;
  permissions: Permissions;
  /** Parameters tests put (region → name → value), besides the public AMI ones. */
  parameters: Map<string, Map<string, string>>;
  world: SimWorld;
  store: InstanceStore;
  requestId: string;
}

/** The response body as an object; actions that change a real machine (an sshd) may take their time. */
export type JsonAction = (ctx: JsonActionContext) => unknown;

/** Smithy's "1 validation error detected" wording, used by the JSON services for bad input. */
export function validationError(member: string, constraint: string, value: unknown = null, code = 'ValidationException'): SimError {
  const shown = value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return new SimError(code, `1 validation error detected: Value ${shown} at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: ${constraint}`, 400);
}

export function requiredString(input: Record<string, unknown>, name: string, code?: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw validationError(name, 'Member must not be null', null, code);
  return v;
}

export function optionalString(input: Record<string, unknown>, name: string, code?: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validationError(name, 'Member must be a string', v, code);
  return v;
}

export function optionalNumber(input: Record<string, unknown>, name: string, code?: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw validationError(name, 'Member must be a number', v, code);
  return v;
}

export function optionalArray(input: Record<string, unknown>, name: string, code?: string): unknown[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw validationError(name, 'Member must be a list', v, code);
  return v;
}

export function optionalObject(input: Record<string, unknown>, name: string, code?: string): Record<string, unknown> | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw validationError(name, 'Member must be a structure', v, code);
  return v as Record<string, unknown>;
}

/** An IAM denial the test switched on: `<service>:<Action>` answers AccessDeniedException (400, as JSON services do). */
export function checkAllowed(ctx: JsonActionContext, iamService: string, actions: readonly string[], resource: string, code = 'AccessDeniedException', status = 400): void {
  const denied = actions.find((a) => ctx.permissions.isDenied(iamService, a));
  if (denied === undefined) return;
  throw new SimError(
    code,
    `User: arn:aws:iam::${ctx.accountId}:user/hangar-test is not authorized to perform: ${iamService}:${denied} on resource: ${resource} because no identity-based policy allows the ${iamService}:${denied} action`,
    status,
  );
}
