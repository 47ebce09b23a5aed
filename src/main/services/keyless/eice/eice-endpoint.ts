import { DescribeInstanceConnectEndpointsCommand } from '@aws-sdk/client-ec2';
import type { AwsClientFactory } from '../../aws/aws-client-factory';
import { callAws } from '../../aws/call-aws';

/** An EC2 Instance Connect Endpoint that can carry a tunnel into the instance's VPC. */
export interface InstanceConnectEndpoint {
  readonly endpointId: string;
  readonly dnsName: string;
  readonly subnetId?: string;
}

// The states in which an endpoint opens tunnels (as the AWS CLI's open-tunnel accepts them).
const USABLE_STATES = ['create-complete', 'update-in-progress', 'update-failed', 'update-complete'];

/**
 * The endpoint to reach an instance with no public address: one in its VPC, the one in its own subnet
 * first (AWS allows one per VPC per subnet). Undefined when the VPC has none that is ready.
 */
export async function findInstanceConnectEndpoint(
  clientsFor: (accountId: string) => AwsClientFactory,
  where: { accountId: string; region: string; vpcId: string; subnetId?: string | undefined },
  signal?: AbortSignal,
): Promise<InstanceConnectEndpoint | undefined> {
  const found: InstanceConnectEndpoint[] = [];
  let token: string | undefined;
  do {
    const out = await callAws(
      () =>
        clientsFor(where.accountId)
          .ec2(where.region)
          .send(
            new DescribeInstanceConnectEndpointsCommand({
              Filters: [
                { Name: 'state', Values: USABLE_STATES },
                { Name: 'vpc-id', Values: [where.vpcId] },
              ],
              ...(token === undefined ? {} : { NextToken: token }),
            }),
            { abortSignal: signal },
          ),
      { action: 'ec2:DescribeInstanceConnectEndpoints', region: where.region, signal },
    );
    for (const e of out.InstanceConnectEndpoints ?? []) {
      if (e.InstanceConnectEndpointId === undefined || e.DnsName === undefined) continue;
      found.push({ endpointId: e.InstanceConnectEndpointId, dnsName: e.DnsName, ...(e.SubnetId === undefined ? {} : { subnetId: e.SubnetId }) });
    }
    token = out.NextToken === '' ? undefined : out.NextToken;
  } while (token !== undefined);
  return found.find((e) => e.subnetId === where.subnetId) ?? found[0];
}
