import type { EC2Client } from '@aws-sdk/client-ec2';
import type { RegionScope } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws } from '../aws/call-aws';

/** One EC2 call (or a run of pages) in an account and region, its errors mapped once by callAws. */
export type Ec2Call = <T>(scope: RegionScope, action: string, signal: AbortSignal | undefined, run: (client: EC2Client) => Promise<T>) => Promise<T>;

export function createEc2Call(clientsFor: (accountId: string) => AwsClientFactory): Ec2Call {
  return (scope, action, signal, run) => callAws(() => run(clientsFor(scope.accountId).ec2(scope.region)), { action, region: scope.region, signal });
}
