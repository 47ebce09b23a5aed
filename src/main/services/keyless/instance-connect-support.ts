/**
 * Whether an instance's image ships EC2 Instance Connect (the `ec2-instance-connect` package that makes
 * sshd ask the instance metadata for keys pushed with SendSSHPublicKey). AWS preinstalls it on Amazon Linux 2
 * (2.0.20190618 and later), Amazon Linux 2023 (not the minimal AMI) and Ubuntu 20.04 and later; any other
 * image needs it installed by hand. Decided from the AMI name and the platform details EC2 already reports.
 */
export type InstanceConnectSupport =
  | { readonly kind: 'yes'; readonly family: string }
  | { readonly kind: 'no'; readonly reason: string }
  /** The AMI's name is not visible (deregistered, private to another account, no ec2:DescribeImages). */
  | { readonly kind: 'unknown' };

// Canonical's names (ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-…) and AMIs built on them that say so
// ("Deep Learning … (Ubuntu 22.04) …").
const UBUNTU_RELEASE = /ubuntu[^/]*\/images\/[^/]*\/ubuntu-[a-z]+-(\d{2})\.(\d{2})|\bubuntu[ -](\d{2})\.(\d{2})\b/i;
// AL2 builds are named amzn2-ami-<variant>-2.0.<yyyymmdd>…; the package came with the 2019-06-18 build.
const AL2_BUILD = /^amzn2-ami-.*?2\.0\.(\d{8})/i;

export function instanceConnectSupport(imageName: string | undefined, platform: string | undefined): InstanceConnectSupport {
  if (platform !== undefined && /^windows/i.test(platform)) {
    return { kind: 'no', reason: 'it runs Windows, which is reached with RDP and its Administrator password' };
  }
  if (imageName === undefined || imageName.trim() === '') return { kind: 'unknown' };
  const name = imageName.trim();
  if (/^al2023-ami-minimal/i.test(name)) {
    return { kind: 'no', reason: 'the minimal Amazon Linux 2023 image leaves EC2 Instance Connect out' };
  }
  if (/^al2023-ami-/i.test(name)) return { kind: 'yes', family: 'Amazon Linux 2023' };
  if (/^amzn2-ami-/i.test(name)) {
    const build = AL2_BUILD.exec(name)?.[1];
    if (build !== undefined && build < '20190618') {
      return { kind: 'no', reason: 'Amazon Linux 2 images older than 2.0.20190618 do not include EC2 Instance Connect' };
    }
    return { kind: 'yes', family: 'Amazon Linux 2' };
  }
  if (/^amzn-ami-/i.test(name)) return { kind: 'no', reason: 'the original Amazon Linux AMI (2018.03) does not include EC2 Instance Connect' };
  // AWS's own AMIs built on Amazon Linux say so in their names ("Deep Learning … (Amazon Linux 2023) …").
  if (/\bamazon linux 2023\b/i.test(name)) return { kind: 'yes', family: 'Amazon Linux 2023' };
  if (/\bamazon linux 2\b/i.test(name)) return { kind: 'yes', family: 'Amazon Linux 2' };
  const ubuntu = UBUNTU_RELEASE.exec(name);
  const major = ubuntu?.[1] ?? ubuntu?.[3];
  if (ubuntu !== null && major !== undefined) {
    const release = `${major}.${ubuntu[2] ?? ubuntu[4] ?? '04'}`;
    if (Number(major) >= 20) return { kind: 'yes', family: `Ubuntu ${release}` };
    return { kind: 'no', reason: `Ubuntu ${release} predates EC2 Instance Connect (it comes with Ubuntu 20.04 and later)` };
  }
  return { kind: 'no', reason: `its image (${name}) does not come with EC2 Instance Connect (Amazon Linux 2/2023 and Ubuntu 20.04+ do)` };
}
