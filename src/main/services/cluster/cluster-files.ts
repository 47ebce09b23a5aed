import type { RemoteCommand } from '../ssh/remote-command';

/** What Hangar knows of a node when it writes the cluster's files. */
export interface NodeFacts {
  readonly name: string;
  readonly privateIp: string;
  /** The host key Hangar verified when it connected (OpenSSH "type base64" form). */
  readonly hostKey: string;
  readonly user: string;
  readonly port: number;
  /** MPI slots: vCPUs, or GPUs on a GPU type. */
  readonly slots: number;
}

/** /etc/hosts lines: every node's private IP and name. */
export function hostsBlock(nodes: readonly NodeFacts[]): string {
  return nodes.map((n) => `${n.privateIp} ${n.name}`).join('\n');
}

/** known_hosts lines by name and by IP, so `ssh node002` and `ssh 10.0.1.7` are both verified. */
export function knownHostsBlock(nodes: readonly NodeFacts[]): string {
  return nodes.map((n) => `${n.name},${n.privateIp} ${n.hostKey}`).join('\n');
}

/**
 * ~/.ssh/config entries: each node by name at its private IP with the cluster key, host keys checked
 * strictly against the known_hosts lines above (HostKeyAlias: the name, whatever address is used).
 */
export function sshConfigBlock(nodes: readonly NodeFacts[]): string {
  return nodes
    .map((n) =>
      [
        `Host ${n.name}`,
        `    HostName ${n.privateIp}`,
        `    User ${n.user}`,
        ...(n.port === 22 ? [] : [`    Port ${n.port}`]),
        // Absolute paths (the script puts in $HOME): ssh expands ~ from the passwd entry, not from $HOME.
        '    IdentityFile @HOME@/.ssh/id_hangar_cluster',
        '    UserKnownHostsFile @HOME@/.ssh/known_hosts',
        '    IdentitiesOnly yes',
        `    HostKeyAlias ${n.name}`,
        '    StrictHostKeyChecking yes',
      ].join('\n'),
    )
    .join('\n');
}

/** An MPI host file (Open MPI syntax; MPICH reads `name:slots`, noted in the UI). */
export function hostfile(nodes: readonly NodeFacts[]): string {
  return nodes.map((n) => `${n.name} slots=${n.slots}`).join('\n');
}

/**
 * The script run on each node (POSIX sh, idempotent): the cluster key pair, authorized_keys (once),
 * marked blocks in known_hosts, ~/.ssh/config and /etc/hosts replaced as a whole on every run, ~/hostfile.
 * /etc/hosts needs root: directly, or `sudo -n`; without either it says so and the rest still stands.
 * Values arrive as arguments, never spliced into the script.
 */
export const NODE_SCRIPT = String.raw`set -e
begin="# >>> hangar cluster $1 >>>"
end="# <<< hangar cluster $1 <<<"
umask 077
block() {
  [ -f "$1" ] && awk -v b="$begin" -v e="$end" '$0==b{skip=1;next} $0==e{skip=0;next} !skip' "$1"
  printf '%s\n%s\n%s\n' "$begin" "$2" "$end"
}
put_block() {
  t=$(mktemp)
  block "$1" "$2" > "$t"
  cat "$t" > "$1"
  rm -f "$t"
}
mkdir -p "$HOME/.ssh"
chmod 700 "$HOME/.ssh"
printf '%s\n' "$2" > "$HOME/.ssh/id_hangar_cluster"
chmod 600 "$HOME/.ssh/id_hangar_cluster"
printf '%s\n' "$3" > "$HOME/.ssh/id_hangar_cluster.pub"
touch "$HOME/.ssh/authorized_keys"
chmod 600 "$HOME/.ssh/authorized_keys"
grep -qxF "$3" "$HOME/.ssh/authorized_keys" || printf '%s\n' "$3" >> "$HOME/.ssh/authorized_keys"
put_block "$HOME/.ssh/known_hosts" "$4"
put_block "$HOME/.ssh/config" "$(printf '%s' "$5" | sed "s|@HOME@|$HOME|g")"
chmod 600 "$HOME/.ssh/config"
printf '%s\n' "$6" > "$HOME/hostfile"
chmod 644 "$HOME/hostfile"
t=$(mktemp)
block /etc/hosts "$7" > "$t"
chmod 644 "$t"
if cmp -s "$t" /etc/hosts; then echo "hosts=unchanged"
elif [ "$(id -u)" = 0 ]; then cat "$t" > /etc/hosts && echo "hosts=written"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n tee /etc/hosts < "$t" > /dev/null && echo "hosts=written"
else echo "hosts=no-sudo"
fi
rm -f "$t"
`;

/** The node script with this cluster's values. */
export function nodeCommand(clusterName: string, privateKey: string, publicKey: string, nodes: readonly NodeFacts[]): RemoteCommand {
  return {
    script: NODE_SCRIPT,
    args: [clusterName, privateKey.trim(), publicKey.trim(), knownHostsBlock(nodes), sshConfigBlock(nodes), hostfile(nodes), hostsBlock(nodes)],
  };
}
