import type { IdleWatcherSettings } from '../../../shared/models/idle-watcher';
import { quoteArg } from '../ssh/shell-quote';
import { IDLE_LOG_TAG, IDLE_STOP_WORDS } from './idle-reason';
import { checkIdleSettings, scriptNumber } from './idle-settings';

export const DEFAULT_IDLE_STATE_DIR = '/var/lib/hangar-idle';

/**
 * The watcher: one POSIX sh script (no bash, no Python: it must run on any AMI as it comes), run once a
 * minute by its systemd timer. Each run decides busy or idle, keeps when it was last busy in
 * <stateDir>/state, and after `idleMinutes` idle in a row logs why and runs `shutdown -h now`.
 * The rule is written into the script as plain assignments (status reads them back from there).
 */
export function watcherScript(settings: IdleWatcherSettings, options: { stateDir?: string } = {}): string {
  const rule = checkIdleSettings(settings);
  const stateDir = options.stateDir ?? DEFAULT_IDLE_STATE_DIR;
  return `#!/bin/sh
# hangar-idle-watcher: Hangar's idle auto-stop for this machine, installed and removed by Hangar over SSH.
# Run once a minute by hangar-idle-watcher.timer. Busy means any of: a GPU above gpu_percent % (nvidia-smi),
# a Jupyter kernel executing or active in the last jupyter_minutes, a login session, an attached tmux or
# screen client, a 1-minute load average above cpu_load. After idle_minutes idle in a row it logs why (to
# the journal and the console) and runs 'shutdown -h now', which stops an EC2 instance whose shutdown
# behaviour is 'stop'. Turning 'Stop when idle' off in Hangar removes this file, its two units and the
# state directory.
idle_minutes=${quoteArg(scriptNumber(rule.idleMinutes))}
cpu_load=${quoteArg(scriptNumber(rule.cpuLoad))}
gpu_percent=${quoteArg(scriptNumber(rule.gpuPercent))}
jupyter_minutes=${quoteArg(scriptNumber(rule.jupyterMinutes))}
default_state_dir=${quoteArg(stateDir)}

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\${PATH:+:$PATH}
umask 022

# Every outside command and path can be replaced (Hangar's tests put stand-ins in their place), and a
# "minute" can be made shorter.
minute=\${HANGAR_IDLE_MINUTE_SECONDS:-60}
case $minute in '' | *[!0-9]* | 0) minute=60 ;; esac
state_dir=\${HANGAR_IDLE_STATE_DIR:-$default_state_dir}
nvidia_smi=\${HANGAR_IDLE_NVIDIA_SMI:-nvidia-smi}
jupyter_cmd=\${HANGAR_IDLE_JUPYTER:-jupyter}
runtime_dirs=\${HANGAR_IDLE_JUPYTER_RUNTIME_DIRS:-}
curl_cmd=\${HANGAR_IDLE_CURL:-curl}
wget_cmd=\${HANGAR_IDLE_WGET:-wget}
who_cmd=\${HANGAR_IDLE_WHO:-who}
proc=\${HANGAR_IDLE_PROC:-/proc}
tmux_cmd=\${HANGAR_IDLE_TMUX:-tmux}
tmux_dir=\${HANGAR_IDLE_TMUX_TMPDIR:-\${TMUX_TMPDIR:-/tmp}}
screen_dir=\${HANGAR_IDLE_SCREEN_DIR:-/run/screen}
loadavg=\${HANGAR_IDLE_LOADAVG:-/proc/loadavg}
boot_id_file=\${HANGAR_IDLE_BOOT_ID:-/proc/sys/kernel/random/boot_id}
logger_cmd=\${HANGAR_IDLE_LOGGER:-logger}
console=\${HANGAR_IDLE_CONSOLE:-/dev/console}
kmsg=\${HANGAR_IDLE_KMSG:-/dev/kmsg}
shutdown_cmd=\${HANGAR_IDLE_SHUTDOWN:-shutdown}

have() { command -v "$1" >/dev/null 2>&1; }
# $1 > $2 for decimals: sh arithmetic is whole numbers only.
above() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }
count() { if [ "$1" = 1 ]; then printf '1 %s' "$2"; else printf '%s %ss' "$1" "$2"; fi; }
# A wedged GPU driver can make nvidia-smi hang: no single check may hold up the next minute's run.
limited() { if have timeout; then timeout 20 "$@"; else "$@"; fi; }
log() { "$logger_cmd" -t ${IDLE_LOG_TAG} "$1" 2>/dev/null || printf '${IDLE_LOG_TAG}: %s\\n' "$1" >&2; }

now=$(date +%s 2>/dev/null)
case $now in '' | *[!0-9]*) now=$(awk 'BEGIN { srand(); print srand() }') ;; esac

check_gpu() {
  gpu_busy=0
  if ! have "$nvidia_smi"; then gpu_note='no GPU'; return; fi
  gpu_max=$(limited "$nvidia_smi" --query-gpu=utilization.gpu --format=csv,noheader,nounits 2>/dev/null |
    awk '$1 ~ /^[0-9]+([.][0-9]+)?$/ { if (!n++ || $1 + 0 > m) m = $1 + 0 } END { if (n) print m }')
  if [ -z "$gpu_max" ]; then gpu_note='GPU not reporting'; return; fi
  if above "$gpu_max" "$gpu_percent"; then gpu_busy=1; gpu_note="GPU at $gpu_max %"; else gpu_note='no GPU use'; fi
}

# Running Jupyter servers as JSON, one object a line: every user's runtime files (Jupyter Server writes
# jpserver-PID.json, the classic Notebook nbserver-PID.json); when there are none, what "jupyter ... list"
# finds for this user (whose runtime dir may be elsewhere).
jupyter_server_json() {
  if [ -z "$runtime_dirs" ]; then
    runtime_dirs=$(awk -F: '$3 == 0 || $3 >= 1000 { printf "%s/.local/share/jupyter/runtime:", $6 }' /etc/passwd 2>/dev/null)
    for d in /run/user/*/jupyter /run/user/*/jupyter/runtime; do [ -d "$d" ] && runtime_dirs="$runtime_dirs$d:"; done
  fi
  found=$(printf '%s\\n' "$runtime_dirs" | tr ':' '\\n' | while IFS= read -r d; do
    [ -n "$d" ] || continue
    for f in "$d"/jpserver-*.json "$d"/nbserver-*.json; do
      [ -f "$f" ] && { tr -d '\\n' < "$f"; echo; }
    done
  done)
  if [ -n "$found" ]; then printf '%s\\n' "$found"; return; fi
  if have "$jupyter_cmd"; then
    limited "$jupyter_cmd" server list --json 2>/dev/null
    limited "$jupyter_cmd" notebook list --json 2>/dev/null
  fi
}

# port|token|base_url|host|scheme|socket, one line a server.
server_lines() {
  awk -v q='"' '
    function str(k,  s) {
      if (!match($0, q k q ": *" q "[^" q "|]*" q)) return ""
      s = substr($0, RSTART, RLENGTH); sub("^" q "[^" q "]*" q ": *" q, "", s); sub(q "$", "", s); return s
    }
    function num(k,  s) { if (!match($0, q k q ": *[0-9]+")) return ""; s = substr($0, RSTART, RLENGTH); sub(/^.*: */, "", s); return s }
    {
      port = num("port"); sock = str("sock")
      if (port == "" && sock == "") next
      scheme = ($0 ~ /"secure": *true/) ? "https" : "http"
      print port "|" str("token") "|" str("base_url") "|" str("hostname") "|" scheme "|" sock
    }' | sort -u
}

auth_header() { [ -z "$1" ] || printf 'header = "Authorization: token %s"\\n' "$1"; }

# GET $1 with Jupyter token $2 (through the unix socket $3 when set). The token goes through stdin or a
# private file, never onto a command line, where any user's ps would show it.
http_get() {
  if have "$curl_cmd"; then
    if [ -n "$3" ]; then
      auth_header "$2" | "$curl_cmd" -fsSk --max-time 5 -K - --unix-socket "$3" "$1"
    else
      auth_header "$2" | "$curl_cmd" -fsSk --max-time 5 -K - "$1"
    fi
  elif have "$wget_cmd" && [ -z "$3" ]; then
    rc="$state_dir/.wgetrc.$$"
    (umask 077 && : > "$rc" && { [ -z "$2" ] || printf 'header = Authorization: token %s\\n' "$2" > "$rc"; }) || return 1
    WGETRC=$rc "$wget_cmd" -q -T 5 --no-check-certificate -O - "$1"
    got=$?
    rm -f "$rc"
    return $got
  else
    return 1
  fi
}

# Each server's kernels: how many, how many executing, how many active within the window.
check_jupyter() {
  kernels=0 kernels_busy=0 kernels_recent=0 unreadable=0
  window=$((jupyter_minutes * minute))
  servers=$(jupyter_server_json | server_lines)
  [ -n "$servers" ] || return 0
  while IFS='|' read -r port token base host scheme sock; do
    case $token in *[!A-Za-z0-9._~+/=-]*) token='' ;; esac
    case $host in '' | localhost | 0.0.0.0 | :: | '*') host=127.0.0.1 ;; *:*) host="[$host]" ;; esac
    case $base in /*) ;; *) base="/$base" ;; esac
    case $base in */) ;; *) base="$base/" ;; esac
    if [ -n "$sock" ]; then url="http://localhost\${base}api/kernels"; else url="$scheme://$host:$port\${base}api/kernels"; fi
    if ! body=$(http_get "$url" "$token" "$sock"); then unreadable=$((unreadable + 1)); continue; fi
    # Only "busy" counts as executing: a kernel nobody has connected to stays "starting" for ever.
    # shellcheck disable=SC2046
    set -- $(printf '%s\\n' "$body" | tr '{' '\\n' | awk -v now="$now" -v window="$window" '
      function days(y, m, d) { if (m <= 2) { y--; m += 12 } return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d - 719469 }
      /"id"/ {
        n++
        if ($0 ~ /"execution_state": *"busy"/) { b++; next }
        if (match($0, /"last_activity": *"[0-9]+-[0-9]+-[0-9]+T[0-9]+:[0-9]+:[0-9]+/)) {
          s = substr($0, RSTART, RLENGTH); sub(/^"last_activity": *"/, "", s)
          split(s, p, /[-T:]/)
          t = days(p[1] + 0, p[2] + 0, p[3] + 0) * 86400 + p[4] * 3600 + p[5] * 60 + p[6]
          if (now - t < window) r++
        }
      }
      END { print n + 0, b + 0, r + 0 }')
    kernels=$((kernels + $1)) kernels_busy=$((kernels_busy + $2)) kernels_recent=$((kernels_recent + $3))
  done <<SERVERS
$servers
SERVERS
}

# Login sessions: what who lists, and sshd sessions with a terminal, found in /proc (sshd writes no
# utmp on some systems). Sessions without a terminal are file transfers and port forwards: what they
# cause (load, kernels) is what counts.
check_sessions() {
  who_n=0
  have "$who_cmd" && who_n=$("$who_cmd" 2>/dev/null | grep -c .)
  pty_n=$(grep -E -l '^sshd(-session)?: [^ ]+@pts/' "$proc"/[0-9]*/cmdline 2>/dev/null | grep -c .)
  sessions=$pty_n
  [ "$who_n" -gt "$sessions" ] && sessions=$who_n
  tmux_n=0
  if have "$tmux_cmd"; then
    for s in "$tmux_dir"/tmux-*/*; do
      [ -S "$s" ] || continue
      c=$("$tmux_cmd" -S "$s" list-clients 2>/dev/null | grep -c .)
      tmux_n=$((tmux_n + c))
    done
  fi
  screen_n=0
  for s in "$screen_dir"/S-*/*; do
    # screen marks a session with a display attached by the owner's execute bit on its socket.
    [ -e "$s" ] && [ -x "$s" ] && screen_n=$((screen_n + 1))
  done
}

check_load() {
  load=$(awk '{ print $1; exit }' "$loadavg" 2>/dev/null)
  case $load in '' | *[!0-9.]*) load=0 ;; esac
}

check_gpu
check_jupyter
check_sessions
check_load

busy=''
busy() { if [ -z "$busy" ]; then busy=$1; else busy="$busy, $1"; fi; }
[ "$gpu_busy" = 1 ] && busy "$gpu_note"
[ "$kernels_busy" -gt 0 ] && busy "$(count "$kernels_busy" kernel) executing"
[ "$kernels_recent" -gt 0 ] && busy "$(count "$kernels_recent" kernel) active in the last $jupyter_minutes min"
[ "$sessions" -gt 0 ] && busy "$(count "$sessions" 'login session')"
[ "$tmux_n" -gt 0 ] && busy "$(count "$tmux_n" 'tmux client') attached"
[ "$screen_n" -gt 0 ] && busy "$(count "$screen_n" 'screen session') attached"
above "$load" "$cpu_load" && busy "load $load"

if [ "$kernels" -gt 0 ]; then
  kernel_note="$(count "$kernels" kernel) idle"
elif [ "$unreadable" -gt 0 ]; then
  kernel_note="$(count "$unreadable" 'Jupyter server') not answering"
else
  kernel_note='no kernels'
fi
summary="$gpu_note, $kernel_note, no sessions, load $load"

state="$state_dir/state"
mkdir -p "$state_dir" 2>/dev/null
last_busy='' last_boot='' last_decision=''
if [ -f "$state" ]; then
  while IFS='=' read -r key value; do
    case $key in
      last_busy) last_busy=$value ;;
      boot_id) last_boot=$value ;;
      decision) last_decision=$value ;;
    esac
  done < "$state"
fi
boot_id=$(cat "$boot_id_file" 2>/dev/null)
case $last_busy in '' | *[!0-9]*) last_busy=$now ;; esac
# Started again after a stop (another boot), or the clock went back: the idle clock starts now.
if [ "$last_boot" != "$boot_id" ] || [ "$last_busy" -gt "$now" ]; then last_busy=$now; fi

if [ -n "$busy" ]; then
  decision=busy reason=$busy last_busy=$now
elif [ $((now - last_busy)) -ge $((idle_minutes * minute)) ]; then
  decision=stopping reason=$summary
else
  decision=idle reason=$summary
fi

write_state() {
  tmp="$state_dir/.state.$$"
  if { printf 'boot_id=%s\\nlast_busy=%s\\nchecked=%s\\n' "$boot_id" "$last_busy" "$now"
       printf 'decision=%s\\nreason=%s\\n' "$decision" "$reason"; } > "$tmp" 2>/dev/null; then
    mv -f "$tmp" "$state"
  else
    echo "${IDLE_LOG_TAG}: cannot write $state" >&2
  fi
}
write_state

case $last_decision:$decision in
  busy:idle | :idle) log "idle ($summary); stopping after $idle_minutes min unless something starts" ;;
  idle:busy) log "busy again: $busy" ;;
esac

if [ "$decision" = stopping ]; then
  line="${IDLE_LOG_TAG}: ${IDLE_STOP_WORDS} $idle_minutes min idle: $summary"
  log "${IDLE_STOP_WORDS} $idle_minutes min idle: $summary"
  # The console is what EC2 GetConsoleOutput returns: Hangar reads the reason back from there.
  { printf '%s\\n' "$line" > "$console"; } 2>/dev/null || { printf '<4>%s\\n' "$line" > "$kmsg"; } 2>/dev/null
  if ! "$shutdown_cmd" -h now; then
    decision=stop-failed
    write_state
    log 'shutdown -h now failed'
    exit 1
  fi
fi
exit 0
`;
}
