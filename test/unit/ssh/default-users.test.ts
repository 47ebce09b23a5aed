import { describe, expect, it } from 'vitest';
import { defaultUsers } from '../../../src/main/services/ssh/default-users';

describe('defaultUsers', () => {
  it.each([
    ['al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64', 'ec2-user'],
    ['amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2', 'ec2-user'],
    ['RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3', 'ec2-user'],
    ['suse-sles-15-sp6-v20240808-hvm-ssd-x86_64', 'ec2-user'],
    ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119', 'ubuntu'],
    ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.5 (Ubuntu 22.04) 20241115', 'ubuntu'],
    ['debian-12-amd64-20241110-1927', 'admin'],
    ['CentOS Stream 9 x86_64 20241118', 'centos'],
    ['Fedora-Cloud-Base-AmazonEC2.x86_64-41-1.4', 'fedora'],
    ['bitnami-wordpress-6.7.1-r0-debian-12-amd64', 'bitnami'],
  ])('%s logs in as %s first', (image, user) => {
    const users = defaultUsers(image);
    expect(users[0]).toBe(user);
    // Every other common user is still tried, once.
    expect(new Set(users).size).toBe(users.length);
    expect(users).toEqual(expect.arrayContaining(['ec2-user', 'ubuntu', 'admin', 'centos', 'fedora', 'bitnami']));
  });

  it('tries Amazon Linux first for an unknown image', () => {
    expect(defaultUsers(undefined)[0]).toBe('ec2-user');
  });
});
