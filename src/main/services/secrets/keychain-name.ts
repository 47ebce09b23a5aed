/** What the user calls the OS keychain on each platform, for messages and the settings screen. */
export function keychainName(platform: NodeJS.Platform | string): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (GNOME Keyring / KWallet)';
}
