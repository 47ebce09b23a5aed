/**
 * A Remote Desktop connection file for Microsoft's clients (mstsc, Windows App / Microsoft Remote Desktop on
 * macOS, Remmina reads it too). No password in it: a .rdp can only carry one DPAPI-encrypted on Windows, so
 * the user pastes it from the password dialog.
 */
export function rdpFileText(input: { host: string; user: string; port?: number }): string {
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(input.host)) throw new Error(`not a host name or address: ${input.host}`);
  if (!/^[A-Za-z0-9._\\-]+$/.test(input.user)) throw new Error(`not a Windows user name: ${input.user}`);
  const address = input.port === undefined || input.port === 3389 ? input.host : `${input.host}:${input.port}`;
  return [
    `full address:s:${address}`,
    `username:s:${input.user}`,
    'prompt for credentials:i:1',
    'administrative session:i:1',
    'screen mode id:i:2',
    'authentication level:i:2',
    '',
  ].join('\r\n');
}
