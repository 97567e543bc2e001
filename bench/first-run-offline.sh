#!/bin/sh
# The first run offline, as a newcomer lives it: a fresh clone of this repository at COMMIT (node_modules
# linked from this checkout, so nothing is downloaded), `npm start` in a network namespace with no network
# (loopback only), and the seconds from `npm start` to "listening" and to the first email — the sample
# digest — in data/outbox. Linux, as root (unshare). Prints one line per run.
#
#   bench/first-run-offline.sh [COMMIT] [--slow-dns] [--cold] [--runs N]
#
#   --slow-dns  a resolver that never answers (each lookup times out) instead of no route at all: what a
#               laptop with a configured but unreachable DNS server sees
#   --cold      a fresh tsx cache (TMPDIR), as on a machine that never ran the service
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
commit=HEAD slow_dns="" cold="" runs=1
while [ $# -gt 0 ]; do
  case $1 in
    --slow-dns) slow_dns=1 ;;
    --cold) cold=1 ;;
    --runs) runs=$2; shift ;;
    *) commit=$1 ;;
  esac
  shift
done
commit=$(git -C "$repo" rev-parse "$commit")
port=$((20000 + $$ % 10000))

run_once() {
  dir=$(mktemp -d /tmp/wd-first-run-XXXXXX)
  git clone -q "$repo" "$dir/repo"
  git -C "$dir/repo" checkout -q "$commit"
  ln -s "$repo/node_modules" "$dir/repo/node_modules"
  mkdir "$dir/tmp"
  cat > "$dir/inside.sh" <<INSIDE
set -u
ip link set lo up
dns=""
if [ -n "$slow_dns" ]; then
  echo "nameserver 127.0.0.53" > "$dir/resolv.conf"
  mount --bind "$dir/resolv.conf" /etc/resolv.conf
  node -e 'require("dgram").createSocket("udp4").bind(53, "127.0.0.53")' >/dev/null 2>&1 &
  dns=\$!
fi
cd "$dir/repo"
[ -n "$cold" ] && export TMPDIR="$dir/tmp"
start=\$(date +%s.%N); echo "start \$start" > "$dir/start"
PORT=$port setsid npm start > "$dir/log.txt" 2>&1 &
pid=\$!
listening=""
while :; do
  now=\$(date +%s.%N)
  if [ -z "\$listening" ] && grep -q '"msg":"listening"' "$dir/log.txt"; then listening=\$(echo "\$now - \$start" | bc); fi
  if ls data/outbox/*.eml >/dev/null 2>&1; then break; fi
  if [ "\$(echo "\$now - \$start > 120" | bc)" = 1 ]; then echo "no digest after 120 s"; break; fi
  sleep 0.05
done
echo "listening \${listening:-?} s, sample digest in the outbox \$(echo "\$now - \$start" | bc) s"
# npm start's process group (setsid made npm its leader: npm, tsx, the service), and the silent resolver.
kill -TERM -\$pid 2>/dev/null; sleep 2; kill -KILL -\$pid 2>/dev/null
if [ -n "\$dns" ]; then kill -KILL \$dns; fi
INSIDE
  if [ -n "$slow_dns" ]; then unshare -n -m sh ${TRACE:+-x} "$dir/inside.sh"; else unshare -n sh ${TRACE:+-x} "$dir/inside.sh"; fi
  if [ -n "${KEEP_LOG:-}" ]; then cat "$dir/start" "$dir/log.txt" > "$KEEP_LOG"; fi
  rm -rf "$dir"
}

i=0
while [ $i -lt "$runs" ]; do
  run_once
  i=$((i + 1))
done
