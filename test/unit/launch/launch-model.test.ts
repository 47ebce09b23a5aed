import { describe, expect, it } from 'vitest';
import { instanceNames, launchCost, launchRequestSchema, launchTags, runInstancesCommandLine, spotOptionsOf, type LaunchRequest } from '../../../src/shared/models/launch';

const request: LaunchRequest = {
  accountId: 'acct',
  region: 'eu-west-1',
  imageId: 'ami-0123456789abcdef0',
  instanceType: 'g5.xlarge',
  keyName: "lab's key",
  securityGroupIds: ['sg-0123456789abcdef0'],
  subnetId: 'subnet-0123456789abcdef0',
  rootDeviceName: '/dev/sda1',
  rootSizeGiB: 100,
  rootVolumeType: 'gp3',
  deleteOnTermination: false,
  count: 3,
  name: 'train',
  tags: [{ key: 'project', value: 'thesis' }],
  userData: '#!/bin/bash\n',
  spot: true,
};

describe('launch model', () => {
  it('names one instance plainly and N instances name-1…name-N', () => {
    expect(instanceNames('box', 1)).toEqual(['box']);
    expect(instanceNames('train', 3)).toEqual(['train-1', 'train-2', 'train-3']);
  });

  it('writes the AWS CLI commands of exactly this launch: its tags, then the names of the others; quoting what the shell would split', () => {
    const [run, ...after] = runInstancesCommandLine(request).split('\n\n');
    expect(run?.split(' \\\n  ')).toEqual([
      'aws ec2 run-instances',
      '--region eu-west-1',
      '--image-id ami-0123456789abcdef0',
      '--instance-type g5.xlarge',
      '--count 3',
      `--key-name 'lab'\\''s key'`,
      '--security-group-ids sg-0123456789abcdef0',
      '--subnet-id subnet-0123456789abcdef0',
      "--block-device-mappings 'DeviceName=/dev/sda1,Ebs={VolumeSize=100,VolumeType=gp3,DeleteOnTermination=false}'",
      "--tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=train-1},{Key=hangar:created-by,Value=Hangar},{Key=project,Value=thesis}]' 'ResourceType=volume,Tags=[{Key=Name,Value=train},{Key=hangar:created-by,Value=Hangar},{Key=project,Value=thesis}]'",
      "--instance-market-options 'MarketType=spot,SpotOptions={SpotInstanceType=one-time}'",
      '--user-data file://user-data.txt',
    ]);
    expect(after.join('\n').split('\n')).toEqual([
      '# run-instances names all 3 instances train-1; then each of the others gets its own name:',
      "aws ec2 create-tags --region eu-west-1 --resources INSTANCE_2_ID --tags Key=Name,Value=train-2",
      "aws ec2 create-tags --region eu-west-1 --resources INSTANCE_3_ID --tags Key=Name,Value=train-3",
    ]);
    // The line shows the tags RunInstances is given, not a look-alike.
    expect(launchTags(request)).toEqual({
      instance: [
        { key: 'Name', value: 'train-1' },
        { key: 'hangar:created-by', value: 'Hangar' },
        { key: 'project', value: 'thesis' },
      ],
      volume: [
        { key: 'Name', value: 'train' },
        { key: 'hangar:created-by', value: 'Hangar' },
        { key: 'project', value: 'thesis' },
      ],
    });
  });

  it('one instance: one command, its own name; tags the shorthand cannot carry go as JSON', () => {
    const one = runInstancesCommandLine({ ...request, count: 1, name: 'my box', tags: [{ key: 'team', value: 'a,b' }, { key: 'Name', value: 'ignored' }] });
    expect(one).not.toContain('create-tags');
    const spec = /--tag-specifications '(.*)'/.exec(one)?.[1] ?? '';
    expect(JSON.parse(spec)).toEqual([
      { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'my box' }, { Key: 'hangar:created-by', Value: 'Hangar' }, { Key: 'team', Value: 'a,b' }] },
      { ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'my box' }, { Key: 'hangar:created-by', Value: 'Hangar' }, { Key: 'team', Value: 'a,b' }] },
    ]);
  });

  it('prints the same spot options the SDK call sends: persistent, stop on interruption, maximum price', () => {
    const persistent = { ...request, spotRequest: { type: 'persistent', interruption: 'stop', maxPrice: 0.35 } } as const;
    expect(spotOptionsOf(persistent.spotRequest)).toEqual({ SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop', MaxPrice: '0.35' });
    expect(runInstancesCommandLine(persistent)).toContain(
      "--instance-market-options 'MarketType=spot,SpotOptions={SpotInstanceType=persistent,InstanceInterruptionBehavior=stop,MaxPrice=0.35}'",
    );
    expect(spotOptionsOf({ type: 'one-time', maxPrice: 0.2 })).toEqual({ SpotInstanceType: 'one-time', MaxPrice: '0.2' });
    expect(runInstancesCommandLine({ ...request, spot: false, spotRequest: undefined })).not.toContain('--instance-market-options');
  });

  it('accepts only the spot requests EC2 accepts from RunInstances', () => {
    const ok = (spotRequest: unknown) => launchRequestSchema.safeParse({ ...request, spotRequest }).success;
    expect(ok({ type: 'persistent', interruption: 'stop' })).toBe(true);
    expect(ok({ type: 'one-time' })).toBe(true);
    expect(ok({ type: 'persistent' })).toBe(false);
    expect(ok({ type: 'one-time', interruption: 'stop' })).toBe(false);
    expect(ok({ type: 'persistent', interruption: 'terminate' })).toBe(false);
    expect(ok({ type: 'persistent', interruption: 'stop', maxPrice: 0.001 })).toBe(false);
  });

  it('costs N instances per hour and per day, or nothing when the price is unknown', () => {
    expect(launchCost(0.5, 3)).toEqual({ hour: 1.5, day: 36 });
    expect(launchCost(undefined, 3)).toBeUndefined();
  });
});
