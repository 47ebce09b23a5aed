/** A Windows instance's Administrator password, decrypted in main with the key pair's private key. */
export interface WindowsPassword {
  readonly instanceId: string;
  /** Always "Administrator": the account EC2Launch sets the random password of. */
  readonly user: string;
  readonly password: string;
  /** Where RDP connects (public IP or DNS name); undefined for an instance without a public address. */
  readonly host?: string;
  /** The key that decrypted it (its name in Hangar). */
  readonly keyName: string;
}

/** The RDP sign-in user of EC2's Windows AMIs. */
export const WINDOWS_ADMIN_USER = 'Administrator';

/** EC2 reports "Windows", "Windows with SQL Server Standard", … as the platform details. */
export function isWindowsPlatform(platform: string | undefined): boolean {
  return platform !== undefined && /^windows/i.test(platform);
}
