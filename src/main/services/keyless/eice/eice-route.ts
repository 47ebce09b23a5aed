import type { Duplex } from 'node:stream';
import { EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import type { AwsClientFactory } from '../../aws/aws-client-factory';
import type { InstanceDetails } from '../../ec2/ec2-service';
import { findInstanceConnectEndpoint, type InstanceConnectEndpoint } from './eice-endpoint';
import { openEiceTunnel } from './eice-tunnel';

/** The connection manager's way to instances with no public address: an EC2 Instance Connect Endpoint in their VPC. */
export interface EiceRoute {
  find(details: InstanceDetails, where: { accountId: string; region: string }, signal?: AbortSignal): Promise<InstanceConnectEndpoint | undefined>;
  open(where: { accountId: string; region: string }, endpoint: { endpointId: string; dnsName: string }, privateIp: string, port: number, signal?: AbortSignal): Promise<Duplex>;
}

/**
 * Signs with the account's credentials (those of its ec2-instance-connect client) and goes where that client
 * goes: its endpoint override, or AWS_ENDPOINT_URL(_EC2_INSTANCE_CONNECT) as the SDK reads them, else wss://<dnsName>.
 */
export function createEiceRoute(deps: { clientsFor(accountId: string): AwsClientFactory }): EiceRoute {
  return {
    async find(details, where, signal) {
      if (details.vpcId === undefined) return undefined;
      return findInstanceConnectEndpoint(deps.clientsFor, { ...where, vpcId: details.vpcId, subnetId: details.subnetId }, signal);
    },
    async open(where, endpoint, privateIp, port, signal) {
      const client = deps.clientsFor(where.accountId).client(EC2InstanceConnectClient, where.region);
      const credentials = await client.config.credentials();
      let override: URL | undefined;
      if (client.config.isCustomEndpoint && client.config.endpoint !== undefined) {
        const e = await client.config.endpoint();
        override = new URL(`${e.protocol}//${e.hostname}${e.port === undefined ? '' : `:${e.port}`}`);
      } else {
        const fromEnv = process.env.AWS_ENDPOINT_URL_EC2_INSTANCE_CONNECT ?? process.env.AWS_ENDPOINT_URL;
        override = fromEnv === undefined || fromEnv === '' ? undefined : new URL(fromEnv);
      }
      return openEiceTunnel({
        region: where.region,
        endpointId: endpoint.endpointId,
        dnsName: endpoint.dnsName,
        privateIp,
        remotePort: port,
        credentials,
        endpointOverride: override,
        signal,
      });
    },
  };
}
