import { describe, expect, it } from 'vitest';
import { launchRequestSchema, type LaunchImage, type LaunchTypeOption, type RegionScope } from '../../../src/shared/models/launch';
import { EMPTY_DRAFT, toRequest, type LaunchDraft } from '../../../src/renderer/features/launch/launch-draft';

const scope: RegionScope = { accountId: 'acct-1', region: 'eu-west-1' };

const image: LaunchImage = {
  imageId: 'ami-0123456789abcdef0',
  name: 'al2023-ami-2023.4',
  architecture: 'x86_64',
  rootDeviceName: '/dev/xvda',
  rootSizeGiB: 8,
  platform: 'Linux/UNIX',
  user: 'ec2-user',
  needsRsa: false,
  gpu: false,
};

const type: LaunchTypeOption = {
  instanceType: 't3.micro',
  vcpus: 2,
  memoryMiB: 1024,
  gpus: 0,
  architectures: ['x86_64'],
  freeTier: true,
  pricePerHour: 0.0104,
  family: 't3',
};

const ready: LaunchDraft = { ...EMPTY_DRAFT, image, type };

describe('toRequest', () => {
  it('is undefined until both an image and a type are chosen', () => {
    expect(toRequest(EMPTY_DRAFT, scope)).toBeUndefined();
    expect(toRequest({ ...EMPTY_DRAFT, image }, scope)).toBeUndefined();
    expect(toRequest({ ...EMPTY_DRAFT, type }, scope)).toBeUndefined();
  });

  it('turns the defaults into a request main accepts, leaving out what was not chosen', () => {
    const request = toRequest(ready, scope);
    expect(request).toEqual({
      accountId: 'acct-1',
      region: 'eu-west-1',
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.micro',
      securityGroupIds: [],
      rootDeviceName: '/dev/xvda',
      rootSizeGiB: 8,
      rootVolumeType: 'gp3',
      deleteOnTermination: true,
      count: 1,
      name: 'hangar',
      tags: [],
      spot: false,
    });
    // No keyName, subnetId or userData keys at all, not even undefined ones (toEqual would not tell).
    expect(request && 'keyName' in request).toBe(false);
    expect(request && 'subnetId' in request).toBe(false);
    expect(request && 'userData' in request).toBe(false);
    expect(launchRequestSchema.safeParse(request).success).toBe(true);
  });

  it('carries every choice across, trimming the name and the tag keys and dropping blank tags', () => {
    const draft: LaunchDraft = {
      ...ready,
      keyPair: { keyName: 'lab-key', keyType: 'ed25519', fingerprint: 'SHA256:abc', createdByHangar: true },
      vpcId: 'vpc-0aaa1111',
      subnetId: 'subnet-0bbb2222',
      groupIds: ['sg-0ccc3333', 'sg-0ddd4444'],
      name: '  trainer  ',
      count: 3,
      rootSizeGiB: 100,
      rootVolumeType: 'io2',
      deleteOnTermination: false,
      tags: [
        { key: ' team ', value: ' ml ' },
        { key: '   ', value: 'dropped' },
        { key: '', value: '' },
      ],
      userData: '#!/bin/sh\necho hi\n',
      spot: true,
    };
    const request = toRequest(draft, scope);
    expect(request).toMatchObject({
      keyName: 'lab-key',
      subnetId: 'subnet-0bbb2222',
      securityGroupIds: ['sg-0ccc3333', 'sg-0ddd4444'],
      name: 'trainer',
      count: 3,
      rootSizeGiB: 100,
      rootVolumeType: 'io2',
      deleteOnTermination: false,
      // The value is sent as typed: only the key is trimmed.
      tags: [{ key: 'team', value: ' ml ' }],
      userData: '#!/bin/sh\necho hi\n',
      spot: true,
    });
    // The VPC is implied by the subnet; it is not part of the request.
    expect(request && 'vpcId' in request).toBe(false);
    expect(launchRequestSchema.safeParse(request).success).toBe(true);
  });

  it('leaves out user data that is only whitespace', () => {
    expect(toRequest({ ...ready, userData: '  \n\t ' }, scope)).not.toHaveProperty('userData');
  });

  it('gives a copy of the security groups, not the draft’s own list', () => {
    const groupIds = ['sg-0ccc3333'];
    const request = toRequest({ ...ready, groupIds }, scope);
    expect(request?.securityGroupIds).toEqual(groupIds);
    expect(request?.securityGroupIds).not.toBe(groupIds);
  });

  it('lets main refuse a name that is blank once trimmed', () => {
    const request = toRequest({ ...ready, name: '   ' }, scope);
    expect(request?.name).toBe('');
    expect(launchRequestSchema.safeParse(request).success).toBe(false);
  });
});
