import { PUBLIC_AMI_PARAMETERS, seededImageId } from './images';
import { checkAllowed, requiredString as str, type JsonAction, type JsonActionContext } from './json-protocol';
import { defaultQuota, QUOTA_BUCKETS } from './launch';
import { SimError } from './sim-error';

// --- SSM Parameter Store ------------------------------------------------------------------------------

// The public parameters' version and last change, as a fixed plausible history.
const PUBLIC_VERSION = 97;

function parameterValue(ctx: JsonActionContext, name: string): string | undefined {
  const own = ctx.parameters.get(ctx.region)?.get(name);
  if (own !== undefined) return own;
  const seed = PUBLIC_AMI_PARAMETERS[name];
  return seed === undefined ? undefined : seededImageId(ctx.region, seed);
}

function allParameterNames(ctx: JsonActionContext): string[] {
  return [...new Set([...Object.keys(PUBLIC_AMI_PARAMETERS), ...(ctx.parameters.get(ctx.region)?.keys() ?? [])])].sort();
}

function parameterJson(ctx: JsonActionContext, name: string, value: string): Record<string, unknown> {
  const isPublic = name.startsWith('/aws/service/');
  return {
    Name: name,
    Type: 'String',
    Value: value,
    Version: isPublic ? PUBLIC_VERSION : 1,
    // JSON 1.1 timestamps are epoch seconds.
    LastModifiedDate: Math.floor(Date.now() / 1000) - 3 * 86_400,
    ARN: isPublic ? `arn:aws:ssm:${ctx.region}::parameter${name}` : `arn:aws:ssm:${ctx.region}:${ctx.accountId}:parameter${name.startsWith('/') ? name : `/${name}`}`,
    DataType: 'text',
  };
}

/** `name`, `name:version` or `name:label`; selectors other than the current version find nothing. */
function lookup(ctx: JsonActionContext, requested: string): Record<string, unknown> | undefined {
  const arn = /^arn:aws:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(requested);
  const plain = arn?.[1] ?? requested;
  const colon = plain.lastIndexOf(':');
  const name = colon > 0 ? plain.slice(0, colon) : plain;
  const selector = colon > 0 ? plain.slice(colon + 1) : undefined;
  const value = parameterValue(ctx, name);
  if (value === undefined) return undefined;
  const json = parameterJson(ctx, name, value);
  if (selector !== undefined && selector !== String(json.Version)) return undefined;
  return selector === undefined ? json : { ...json, Selector: `:${selector}`, Name: name };
}

export const SSM_ACTIONS: Readonly<Record<string, JsonAction>> = {
  GetParameter: (ctx) => {
    const name = str(ctx.input, 'Name');
    checkAllowed(ctx, 'ssm', ['GetParameter'], `arn:aws:ssm:${ctx.region}::parameter${name}`);
    const parameter = lookup(ctx, name);
    if (!parameter) throw new SimError('ParameterNotFound', `Parameter ${name} not found.`);
    return { Parameter: parameter };
  },
  GetParameters: (ctx) => {
    const names = ctx.input.Names;
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
      throw new SimError('ValidationException', "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null");
    }
    if (names.length > 10) {
      throw new SimError('ValidationException', `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`);
    }
    checkAllowed(ctx, 'ssm', ['GetParameters'], `arn:aws:ssm:${ctx.region}::parameter${String(names[0])}`);
    const found: Record<string, unknown>[] = [];
    const invalid: string[] = [];
    for (const n of names as string[]) {
      const p = lookup(ctx, n);
      if (p) found.push(p);
      else invalid.push(n);
    }
    return { Parameters: found, InvalidParameters: invalid };
  },
  GetParametersByPath: (ctx) => {
    const path = str(ctx.input, 'Path');
    if (!path.startsWith('/')) throw new SimError('ValidationException', 'The parameter path must begin with a forward slash (/).');
    checkAllowed(ctx, 'ssm', ['GetParametersByPath'], `arn:aws:ssm:${ctx.region}::parameter${path}`);
    const recursive = ctx.input.Recursive === true;
    const max = typeof ctx.input.MaxResults === 'number' ? ctx.input.MaxResults : 10;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw new SimError('ValidationException', `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`);
    }
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = allParameterNames(ctx).filter((n) => n.startsWith(prefix) && (recursive || !n.slice(prefix.length).includes('/')));
    const token = typeof ctx.input.NextToken === 'string' ? ctx.input.NextToken : undefined;
    const offset = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new SimError('ValidationException', 'The specified token is not valid.');
    const page = names.slice(offset, offset + max);
    const next = offset + page.length < names.length ? Buffer.from(String(offset + page.length)).toString('base64url') : undefined;
    return {
      Parameters: page.map((n) => parameterJson(ctx, n, parameterValue(ctx, n) ?? '')),
      ...(next === undefined ? {} : { NextToken: next }),
    };
  },
};

// --- Service Quotas --------------------------------------------------------------------------------

function quotaJson(ctx: JsonActionContext, code: string, useDefault: boolean): Record<string, unknown> {
  for (const [bucket, codes] of Object.entries(QUOTA_BUCKETS)) {
    const market = codes.onDemand === code ? 'on-demand' : codes.spot === code ? 'spot' : undefined;
    if (market === undefined) continue;
    const value = useDefault ? defaultQuota(bucket) : ctx.launch.quota(bucket, market, ctx.region);
    return {
      ServiceCode: 'ec2',
      ServiceName: 'Amazon Elastic Compute Cloud (Amazon EC2)',
      QuotaArn: `arn:aws:servicequotas:${ctx.region}:${useDefault ? '' : ctx.accountId}:ec2/${code}`,
      QuotaCode: code,
      QuotaName: market === 'on-demand' ? codes.onDemandName : codes.spotName,
      Value: value,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: false,
      UsageMetric: {
        MetricNamespace: 'AWS/Usage',
        MetricName: 'ResourceCount',
        MetricDimensions: { Class: market === 'on-demand' ? `${bucketClass(bucket)}/OnDemand` : `${bucketClass(bucket)}/Spot`, Resource: 'vCPU', Service: 'EC2', Type: 'Resource' },
        MetricStatisticRecommendation: 'Maximum',
      },
      QuotaAppliedAtLevel: 'ACCOUNT',
      Description: `Maximum number of vCPUs assigned to the ${market === 'on-demand' ? codes.onDemandName.replace(/^Running /, '') : codes.spotName.replace(/^All /, '')}`,
    };
  }
  throw new SimError('NoSuchResourceException', `The request failed because the specified quota does not exist.`);
}

function bucketClass(bucket: string): string {
  return bucket === 'G and VT' ? 'G' : bucket;
}

function quotaRequest(ctx: JsonActionContext, action: string, useDefault: boolean): unknown {
  const service = str(ctx.input, 'ServiceCode');
  const code = str(ctx.input, 'QuotaCode');
  checkAllowed(ctx, 'servicequotas', [action], `arn:aws:servicequotas:${ctx.region}:${ctx.accountId}:${service}/${code}`);
  if (service !== 'ec2') throw new SimError('NoSuchResourceException', 'The request failed because the specified service does not exist.');
  return { Quota: quotaJson(ctx, code, useDefault) };
}

export const SERVICE_QUOTAS_ACTIONS: Readonly<Record<string, JsonAction>> = {
  GetServiceQuota: (ctx) => quotaRequest(ctx, 'GetServiceQuota', false),
  GetAWSDefaultServiceQuota: (ctx) => quotaRequest(ctx, 'GetAWSDefaultServiceQuota', true),
  ListServiceQuotas: (ctx) => {
    const service = str(ctx.input, 'ServiceCode');
    checkAllowed(ctx, 'servicequotas', ['ListServiceQuotas'], '*');
    if (service !== 'ec2') throw new SimError('NoSuchResourceException', 'The request failed because the specified service does not exist.');
    const codes = Object.values(QUOTA_BUCKETS).flatMap((c) => [c.onDemand, c.spot]);
    return { Quotas: codes.map((c) => quotaJson(ctx, c, false)) };
  },
};
