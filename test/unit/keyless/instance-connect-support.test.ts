import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { instanceConnectSupport } from '../../../src/main/services/keyless/instance-connect-support';
import { makeOneMinuteKey } from '../../../src/main/services/keyless/one-minute-key';

describe('instanceConnectSupport', () => {
  it.each([
    ['al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64', 'Amazon Linux 2023'],
    ['amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2', 'Amazon Linux 2'],
    ['amzn2-ami-hvm-2.0.20190618-x86_64-gp2', 'Amazon Linux 2'],
    ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119', 'Ubuntu 24.04'],
    ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20240423', 'Ubuntu 22.04'],
    ['ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-20230517', 'Ubuntu 20.04'],
    ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.5 (Ubuntu 22.04) 20241115', 'Ubuntu 22.04'],
    ['Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2023) 20241115', 'Amazon Linux 2023'],
  ])('%s has it (%s)', (image, family) => {
    expect(instanceConnectSupport(image, 'Linux/UNIX')).toEqual({ kind: 'yes', family });
  });

  it.each([
    ['al2023-ami-minimal-2023.6.20241121.0-kernel-6.1-x86_64', /minimal/],
    ['amzn2-ami-hvm-2.0.20190313-x86_64-gp2', /older than 2\.0\.20190618/],
    ['amzn-ami-hvm-2018.03.0.20231218.0-x86_64-gp2', /2018\.03/],
    ['ubuntu/images/hvm-ssd/ubuntu-bionic-18.04-amd64-server-20230531', /Ubuntu 18\.04 predates/],
    ['debian-12-amd64-20241110-1927', /debian-12.*does not come with EC2 Instance Connect/],
    ['RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3', /does not come with/],
  ])('%s does not', (image, reason) => {
    const support = instanceConnectSupport(image, 'Linux/UNIX');
    expect(support.kind).toBe('no');
    expect(support.kind === 'no' ? support.reason : '').toMatch(reason);
  });

  it('refuses Windows whatever the image is called, and says unknown when the name is not visible', () => {
    expect(instanceConnectSupport('Windows_Server-2022-English-Full-Base-2024.11.13', 'Windows').kind).toBe('no');
    expect(instanceConnectSupport('al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64', 'Windows with SQL Server Standard').kind).toBe('no');
    expect(instanceConnectSupport(undefined, 'Linux/UNIX')).toEqual({ kind: 'unknown' });
    expect(instanceConnectSupport('  ', undefined)).toEqual({ kind: 'unknown' });
  });
});

describe('makeOneMinuteKey', () => {
  it('makes a fresh ED25519 key ssh2 reads, whose public half is the line it hands out', () => {
    const a = makeOneMinuteKey();
    const b = makeOneMinuteKey();
    expect(a.publicKey).not.toBe(b.publicKey);
    expect(a.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=*$/);
    const parsed = ssh2.utils.parseKey(a.privateKey);
    if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('ssh2 could not parse the key');
    expect(parsed.type).toBe('ssh-ed25519');
    expect(parsed.isPrivateKey()).toBe(true);
    expect(`ssh-ed25519 ${parsed.getPublicSSH().toString('base64')}`).toBe(a.publicKey);
    // A signature made with the private half verifies with the public one: the pair belongs together.
    const data = Buffer.from('hangar');
    expect(parsed.verify(data, parsed.sign(data))).toBe(true);
  });
});
