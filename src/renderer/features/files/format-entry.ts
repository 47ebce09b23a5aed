const UNITS = ['KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in the units people read (decimal, like the platform file managers): "0 bytes", "1 byte", "12.3 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A modification time in the user's local time zone. */
export function formatModified(mtimeMs: number): string {
  return dateTime.format(new Date(mtimeMs));
}
