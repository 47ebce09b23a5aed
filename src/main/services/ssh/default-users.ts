/** Login users of the common AMI families, by what their names contain (AWS's and the vendors' own docs). */
const FAMILIES: readonly { readonly pattern: RegExp; readonly user: string }[] = [
  { pattern: /bitnami/i, user: 'bitnami' },
  { pattern: /ubuntu/i, user: 'ubuntu' },
  { pattern: /debian/i, user: 'admin' },
  { pattern: /centos/i, user: 'centos' },
  { pattern: /fedora/i, user: 'fedora' },
  { pattern: /amzn|amazon|al20\d\d|rhel|red ?hat|suse|sles/i, user: 'ec2-user' },
];

/** Every user tried, in this order after the AMI's own, when authentication fails. */
const FALLBACKS = ['ec2-user', 'ubuntu', 'admin', 'centos', 'fedora', 'bitnami'] as const;

/**
 * The users to try for an AMI name, most likely first. An unknown or missing name still gets every
 * common candidate, Amazon Linux's first (the most common AMI on EC2).
 */
export function defaultUsers(imageName: string | undefined): string[] {
  const match = imageName === undefined ? undefined : FAMILIES.find((f) => f.pattern.test(imageName));
  const first = match?.user ?? 'ec2-user';
  return [first, ...FALLBACKS.filter((u) => u !== first)];
}
