/**
 * POSIX path arithmetic for remote paths in the renderer (no Node `path` here). Paths the service returns
 * are absolute and normalised, so these stay simple; names may hold any character but "/" and NUL.
 */
export function joinRemote(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function parentOf(path: string): string {
  if (path === '/') return '/';
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** The folders from the root down to `path`, for the breadcrumb: [{ name: '/', path: '/' }, { name: 'home', path: '/home' }, …]. */
export function crumbsOf(path: string): { name: string; path: string }[] {
  const crumbs = [{ name: '/', path: '/' }];
  let at = '';
  for (const part of path.split('/').filter(Boolean)) {
    at = `${at}/${part}`;
    crumbs.push({ name: part, path: at });
  }
  return crumbs;
}

/** A name the user typed for a new folder or a rename: the reason it cannot be used, if any. */
export function invalidName(name: string): string | undefined {
  if (name.trim() === '') return 'Type a name.';
  if (name.includes('/')) return 'A name cannot contain “/”.';
  if (name === '.' || name === '..') return 'That name is reserved.';
  if (name.includes('\0')) return 'A name cannot contain a NUL character.';
  return undefined;
}
