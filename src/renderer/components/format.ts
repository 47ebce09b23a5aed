/** "1 instance", "3 instances"; `many` for irregular plurals. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** How a remote folder reads in labels: the login user's home as "~". */
export function remoteDirLabel(dir: string): string {
  if (dir === '.' || dir === '') return '~';
  if (dir.startsWith('./')) return `~/${dir.slice(2)}`;
  if (!dir.startsWith('/') && !dir.startsWith('~')) return `~/${dir}`;
  return dir;
}
