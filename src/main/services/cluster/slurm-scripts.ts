import type { RemoteCommand } from '../ssh/remote-command';
import type { SlurmLayout } from './slurm-config';

/** Runs a script as root: directly, or through `sudo -n`; says `hangar-error=no-sudo` (exit 22) when neither works. */
export function asRoot(script: string, args: readonly string[]): RemoteCommand {
  return {
    script:
      's=$1; shift; if [ "$(id -u)" -eq 0 ]; then exec /bin/sh -c "$s" sh "$@"; elif sudo -n true 2>/dev/null; then exec sudo -n /bin/sh -c "$s" sh "$@"; else echo hangar-error=no-sudo; exit 22; fi',
    args: [script, ...args],
  };
}

/** Who the node is: short hostname, CPUs, memory (MiB), NVIDIA GPUs. */
export const FACTS_SCRIPT = [
  'hostname -s',
  'nproc',
  "awk '/^MemTotal/ { print int($2 / 1024) }' /proc/meminfo",
  "if command -v nvidia-smi >/dev/null 2>&1; then nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true; else echo 0; fi",
].join('\n');

/**
 * One node's Slurm: the distribution's packages when missing, slurm.conf and gres.conf, the munge key (0400,
 * owned by munge), then the daemons: munge everywhere, slurmctld on master, slurmd everywhere under the node's
 * cluster name. Re-running changes only what changed (the key is compared; a running controller is reconfigured).
 */
const NODE_SCRIPT = String.raw`set -e
role=$1; name=$2; conf=$3; gres=$4; key=$5; confdir=$6; mungekey=$7; mungesock=$8; statedir=$9; spooldir=${'${10}'}; logdir=${'${11}'}; rundir=${'${12}'}; start=${'${13}'}
need=''
command -v munged >/dev/null 2>&1 || [ -x /usr/sbin/munged ] || need=1
if [ "$role" = master ]; then command -v slurmctld >/dev/null 2>&1 || [ -x /usr/sbin/slurmctld ] || need=1; fi
command -v slurmd >/dev/null 2>&1 || [ -x /usr/sbin/slurmd ] || need=1
if [ -n "$need" ]; then
  echo 'step=installing packages'
  if command -v apt-get >/dev/null 2>&1; then
    { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge; } >/dev/null 2>&1 || { echo hangar-error=packages; exit 20; }
  elif command -v dnf >/dev/null 2>&1; then
    dnf install -y -q munge slurm slurm-slurmctld slurm-slurmd >/dev/null 2>&1 || { echo hangar-error=packages; exit 20; }
  else
    echo hangar-error=no-package-manager; exit 21
  fi
fi
mkdir -p "$confdir" "$(dirname "$mungekey")" "$statedir" "$spooldir" "$logdir" "$rundir"
printf '%s' "$conf" > "$confdir/slurm.conf.hangar" && mv "$confdir/slurm.conf.hangar" "$confdir/slurm.conf"
printf '%s' "$gres" > "$confdir/gres.conf"
old=$(umask); umask 077
printf '%s' "$key" | base64 -d > "$mungekey.hangar"
umask "$old"
keychanged=''
if cmp -s "$mungekey.hangar" "$mungekey"; then rm -f "$mungekey.hangar"; else mv "$mungekey.hangar" "$mungekey"; keychanged=1; fi
if id munge >/dev/null 2>&1; then chown munge: "$mungekey"; fi
chmod 400 "$mungekey"
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if [ "$start" = systemd ]; then
  for f in /etc/default/slurmd /etc/sysconfig/slurmd; do if [ -d "$(dirname "$f")" ]; then printf 'SLURMD_OPTIONS="-N %s"\n' "$name" > "$f"; fi; done
  systemctl enable munge >/dev/null 2>&1 || true
  if [ -n "$keychanged" ]; then systemctl restart munge; else systemctl start munge; fi
  if [ "$role" = master ]; then systemctl enable slurmctld >/dev/null 2>&1 || true; systemctl restart slurmctld; fi
  systemctl enable slurmd >/dev/null 2>&1 || true
  systemctl restart slurmd
else
  sockopt=''; [ -n "$mungesock" ] && sockopt="--socket=$mungesock"
  if [ -n "$keychanged" ] || ! alive "$rundir/munged.pid"; then
    if alive "$rundir/munged.pid"; then kill "$(cat "$rundir/munged.pid")"; sleep 0.5; fi
    munged $sockopt --key-file="$mungekey" --pid-file="$rundir/munged.pid" --log-file="$logdir/munged.log" --seed-file="$rundir/munge.seed" -f
  fi
  if [ "$role" = master ]; then
    if alive "$rundir/slurmctld.pid"; then SLURM_CONF="$confdir/slurm.conf" scontrol reconfigure; else slurmctld -f "$confdir/slurm.conf"; fi
  fi
  if alive "$rundir/slurmd.pid"; then kill "$(cat "$rundir/slurmd.pid")"; for i in 1 2 3 4 5 6 7 8 9 10; do alive "$rundir/slurmd.pid" || break; sleep 0.3; done; fi
  slurmd -f "$confdir/slurm.conf" -N "$name"
fi
echo hangar-ok`;

export function nodeSlurmCommand(input: { role: 'master' | 'worker'; name: string; conf: string; gres: string; mungeKeyBase64: string; layout: SlurmLayout }): RemoteCommand {
  const l = input.layout;
  return asRoot(NODE_SCRIPT, [
    input.role,
    input.name,
    input.conf,
    input.gres,
    input.mungeKeyBase64,
    l.confDir,
    l.mungeKey,
    l.mungeSocket ?? '',
    l.stateDir,
    l.spoolDir,
    l.logDir,
    l.runDir,
    l.start,
  ]);
}

/** SLURM_CONF for the client commands when the config is not where they look by default. */
export function slurmEnv(layout: SlurmLayout): string {
  return layout.confDir === '/etc/slurm' ? '' : `SLURM_CONF=${layout.confDir}/slurm.conf; export SLURM_CONF; `;
}
