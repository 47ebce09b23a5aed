const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const WINDOWS_ILLEGAL = /[<>:"/\\|?*\u0000-\u001f]/g;

/**
 * A remote file name as it can be saved on this computer. POSIX takes any name but '/' and NUL (neither can
 * come from an SFTP listing, but a broken server could send them); Windows also refuses `<>:"/\|?*`,
 * control characters, a trailing dot or space and the device names (CON, COM1, …, with any extension).
 * Pure, so the rules are tested without Windows.
 */
export function safeLocalName(name: string, platform: NodeJS.Platform): string {
  if (platform !== 'win32') {
    // eslint-disable-next-line no-control-regex
    const posix = name.replace(/[/\u0000]/g, '_');
    return posix === '' || posix === '.' || posix === '..' ? '_' : posix;
  }
  let safe = name.replace(WINDOWS_ILLEGAL, '_');
  safe = safe.replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
  if (WINDOWS_RESERVED.test(safe)) safe = `_${safe}`;
  return safe === '' ? '_' : safe;
}
