#!/usr/bin/env bash
# Runs a bert-stream command on a machine shared with other builds as if it were alone: every other JVM is
# stopped (SIGSTOP, re-checked each second so JVMs started meanwhile stop too) while the command runs, and
# resumed (SIGCONT) when it ends, however it ends. Used for the quiet demo runs of docs/BENCHMARKS.md, e.g.
#   docs/scripts/quiet-run.sh demo --seconds 60 --no-live
# Stops only java processes; jstack/jcmd attached to the command are left running.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
stopped=()
resume() { [ ${#stopped[@]} -eq 0 ] || kill -CONT "${stopped[@]}" 2>/dev/null || true; }
trap resume EXIT
"$ROOT/bert-stream" "$@" &
cmd=$!
while kill -0 "$cmd" 2>/dev/null; do
  for p in $(pgrep java || true); do
    # The command itself (bert-stream execs its JVM: same pid) and its Maven build, if it needs one.
    [ "$p" = "$cmd" ] && continue
    [ "$(ps -o ppid= -p "$p" | tr -d ' ')" = "$cmd" ] && continue
    grep -qa "jstack\|jcmd" "/proc/$p/cmdline" 2>/dev/null && continue
    [[ " ${stopped[*]} " == *" $p "* ]] && continue
    kill -STOP "$p" 2>/dev/null && stopped+=("$p")
  done
  sleep 1
done
wait "$cmd"
