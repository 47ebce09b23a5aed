import type { JupyterServerInfo } from '../../../shared/models/tunnels';
import type { RemoteHost } from './remote-host';
import { runLoginShell } from './remote-shell';

/** A server as discovered, with its token (which stays in main: it goes into the URL only). */
export interface DiscoveredJupyter extends JupyterServerInfo {
  readonly token: string;
}

export interface JupyterDiscovery {
  /** `jupyter` is on the login shell's PATH. */
  readonly installed: boolean;
  readonly servers: readonly DiscoveredJupyter[];
}

/**
 * Newer servers first (`jupyter server list`, Jupyter Server / JupyterLab 3+), then the classic Notebook's
 * list, then the runtime files either of them writes (found even when the list command is broken or
 * belongs to another environment). Each step runs only when the one before found nothing.
 */
const DISCOVERY_SCRIPT = `
if ! command -v jupyter >/dev/null 2>&1; then echo '@@NOJUPYTER'; exit 0; fi
out=$(jupyter server list --json 2>/dev/null)
if [ -n "$out" ]; then echo '@@server-list'; printf '%s\\n' "$out"; exit 0; fi
out=$(jupyter notebook list --json 2>/dev/null)
if [ -n "$out" ]; then echo '@@notebook-list'; printf '%s\\n' "$out"; exit 0; fi
dir=$(jupyter --runtime-dir 2>/dev/null)
echo '@@runtime-file'
for f in "$dir"/jpserver-*.json "$dir"/nbserver-*.json; do
  [ -f "$f" ] || continue
  pid=$(sed -n 's/.*"pid": *\\([0-9]*\\).*/\\1/p' "$f" | head -n 1)
  # A file left behind by a server that crashed names a dead pid.
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && [ -d /proc ] && [ ! -d "/proc/$pid" ]; then continue; fi
  tr -d '\\n' < "$f"; echo
done
`;

type Source = JupyterServerInfo['source'];

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** One JSON object per line (what the list commands print); anything else is ignored. */
export function parseJupyterList(text: string, source: Source): DiscoveredJupyter[] {
  const servers: DiscoveredJupyter[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      continue;
    }
    const port = typeof data.port === 'number' ? data.port : Number(data.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) continue;
    // Unix-socket servers cannot be forwarded as a port.
    if (str(data.sock)) continue;
    let baseUrl = str(data.base_url) ?? '/';
    if (!baseUrl.startsWith('/')) baseUrl = `/${baseUrl}`;
    if (!baseUrl.endsWith('/')) baseUrl = `${baseUrl}/`;
    const hostname = str(data.hostname) ?? '';
    const host = hostname === '' || hostname === 'localhost' || hostname === '0.0.0.0' || hostname === '::' || hostname === '*' ? '127.0.0.1' : hostname;
    const token = str(data.token) ?? '';
    const rootDir = str(data.root_dir) ?? str(data.notebook_dir);
    const pid = typeof data.pid === 'number' ? data.pid : undefined;
    servers.push({
      port,
      host,
      baseUrl,
      token,
      hasToken: token !== '',
      source,
      ...(rootDir === undefined ? {} : { rootDir }),
      ...(pid === undefined ? {} : { pid }),
    });
  }
  // The same server may be listed twice (runtime files of both kinds); one per port.
  const seen = new Set<number>();
  return servers.filter((s) => (seen.has(s.port) ? false : (seen.add(s.port), true)));
}

export function parseDiscoveryOutput(stdout: string): JupyterDiscovery {
  if (stdout.includes('@@NOJUPYTER')) return { installed: false, servers: [] };
  const match = /@@(server-list|notebook-list|runtime-file)\n([\s\S]*)$/.exec(stdout);
  if (match === null) return { installed: true, servers: [] };
  return { installed: true, servers: parseJupyterList(match[2] ?? '', match[1] as Source) };
}

export async function discoverJupyter(connection: Pick<RemoteHost, 'run'>): Promise<JupyterDiscovery> {
  const { stdout } = await runLoginShell(connection, DISCOVERY_SCRIPT, [], 60_000);
  return parseDiscoveryOutput(stdout);
}
