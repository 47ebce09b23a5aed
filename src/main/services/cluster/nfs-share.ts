import type { RemoteCommand } from '../ssh/remote-command';
import { asRoot } from './slurm-scripts';

/**
 * A shared folder over NFS (issue 16): master exports it to the cluster's nodes (by address, read-write, root
 * squashed), every other node mounts it at the same path with an fstab line (`_netdev,nofail`: a node whose master
 * is away still boots). Packages come from the distribution: nfs-kernel-server / nfs-common (apt), nfs-utils (dnf).
 */
export interface NfsShare {
  /** Absolute path, shared at the same path everywhere (default /home). */
  readonly folder: string;
  readonly masterAddress: string;
  /** Every node's private address (the export lists them, nobody else). */
  readonly nodeAddresses: readonly string[];
}

/** The /etc/exports line for the folder: each node by address. */
export function exportsLine(share: NfsShare): string {
  const clients = share.nodeAddresses.filter((a) => a !== share.masterAddress).map((a) => `${a}(rw,sync,no_subtree_check)`);
  return `${share.folder} ${clients.join(' ')}`;
}

/** The fstab line a worker mounts it with. */
export function fstabLine(share: NfsShare): string {
  return `${share.masterAddress}:${share.folder} ${share.folder} nfs defaults,_netdev,nofail,hard 0 0`;
}

const MASTER_SCRIPT = String.raw`set -e
folder=$1; line=$2
if ! command -v exportfs >/dev/null 2>&1 && [ ! -x /usr/sbin/exportfs ]; then
  if command -v apt-get >/dev/null 2>&1; then { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nfs-kernel-server; } >/dev/null 2>&1 || { echo hangar-error=nfs-packages; exit 20; }
  elif command -v dnf >/dev/null 2>&1; then dnf install -y -q nfs-utils >/dev/null 2>&1 || { echo hangar-error=nfs-packages; exit 20; }
  else echo hangar-error=no-package-manager; exit 21; fi
fi
mkdir -p "$folder"
touch /etc/exports
tmp=$(mktemp); grep -v "^$folder " /etc/exports > "$tmp" || true; printf '%s\n' "$line" >> "$tmp"; cat "$tmp" > /etc/exports; rm -f "$tmp"
systemctl enable --now nfs-server >/dev/null 2>&1 || systemctl enable --now nfs-kernel-server >/dev/null 2>&1 || true
exportfs -ra
echo hangar-ok`;

const WORKER_SCRIPT = String.raw`set -e
folder=$1; line=$2; source=$3
if ! command -v mount.nfs >/dev/null 2>&1 && [ ! -x /sbin/mount.nfs ] && [ ! -x /usr/sbin/mount.nfs ]; then
  if command -v apt-get >/dev/null 2>&1; then { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nfs-common; } >/dev/null 2>&1 || { echo hangar-error=nfs-packages; exit 20; }
  elif command -v dnf >/dev/null 2>&1; then dnf install -y -q nfs-utils >/dev/null 2>&1 || { echo hangar-error=nfs-packages; exit 20; }
  else echo hangar-error=no-package-manager; exit 21; fi
fi
mkdir -p "$folder"
tmp=$(mktemp); grep -v " $folder nfs " /etc/fstab > "$tmp" || true; printf '%s\n' "$line" >> "$tmp"; cat "$tmp" > /etc/fstab; rm -f "$tmp"
if ! grep -q " $folder nfs" /proc/mounts; then mount "$folder"; fi
echo hangar-ok`;

export function nfsCommand(role: 'master' | 'worker', share: NfsShare): RemoteCommand {
  return role === 'master' ? asRoot(MASTER_SCRIPT, [share.folder, exportsLine(share)]) : asRoot(WORKER_SCRIPT, [share.folder, fstabLine(share), `${share.masterAddress}:${share.folder}`]);
}
