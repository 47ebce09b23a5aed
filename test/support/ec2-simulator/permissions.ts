import { SimError } from './sim-error';

/**
 * IAM denials a test switched on with `denyActions([...])`. Names are EC2 action names ("RunInstances") or
 * service-prefixed ("ec2:RunInstances", "ssm:GetParameter", "servicequotas:GetServiceQuota").
 */
export class Permissions {
  private readonly denied = new Set<string>();

  deny(actions: readonly string[]): void {
    for (const a of actions) this.denied.add(qualify(a));
  }

  allow(actions?: readonly string[]): void {
    if (actions === undefined) this.denied.clear();
    else for (const a of actions) this.denied.delete(qualify(a));
  }

  isDenied(service: string, action: string): boolean {
    return this.denied.has(`${service}:${action}`.toLowerCase());
  }

  /**
   * EC2's UnauthorizedOperation: 403 with an "Encoded authorization failure message" (opaque on AWS, decoded
   * with sts:DecodeAuthorizationMessage; here base64url JSON naming the action, good enough to look opaque).
   */
  checkEc2(action: string, ctx: { accountId: string; region: string }, resource = '*'): void {
    if (!this.isDenied('ec2', action)) return;
    const encoded = Buffer.from(
      JSON.stringify({ allowed: false, explicitDeny: false, matchedStatements: { items: [] }, context: { action: `ec2:${action}`, resource } }),
    ).toString('base64url');
    throw new SimError(
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. User: arn:aws:iam::${ctx.accountId}:user/hangar-test is not authorized to perform: ec2:${action} on resource: ${resourceArn(action, ctx, resource)} because no identity-based policy allows the ec2:${action} action. Encoded authorization failure message: ${encoded}`,
    );
  }
}

function qualify(action: string): string {
  return (action.includes(':') ? action : `ec2:${action}`).toLowerCase();
}

function resourceArn(action: string, ctx: { accountId: string; region: string }, resource: string): string {
  if (resource !== '*') return resource;
  const kinds: [RegExp, string][] = [
    [/^RunInstances$/, 'instance'],
    [/KeyPair/, 'key-pair'],
    [/SecurityGroup/, 'security-group'],
    [/Volume$/, 'volume'],
    [/Snapshot$/, 'snapshot'],
    [/Image$/, 'image'],
    [/Address$/, 'elastic-ip'],
  ];
  const kind = kinds.find(([re]) => re.test(action))?.[1] ?? '';
  return kind === '' ? '*' : `arn:aws:ec2:${ctx.region}:${ctx.accountId}:${kind}/*`;
}
