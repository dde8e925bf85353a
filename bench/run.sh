#!/bin/sh
# Load benchmark: a demo database, the server on a free loopback port, and wrk
# against the main screens as a logged-in user. Prints requests/s, latency and
# the server's peak memory. Bounded: BENCH_SECONDS (default 10) per screen.
set -eu
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install wrk" >&2; exit 1; }
T=${BENCH_SECONDS:-10}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
./jinzai init --demo --db "$dir/bench.db" --demo-password bench-password-1 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./jinzai serve --db "$dir/bench.db" --listen 127.0.0.1:$port 2>"$dir/serve.log" &
pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port"
curl -s -c "$dir/cj" "$base/login" >/dev/null
tok=$(awk '/jz_pre/ {print $7}' "$dir/cj")
curl -s -b "$dir/cj" -c "$dir/cj" -H "Origin: $base" -d "csrf=$tok&login=dx&password=bench-password-1&next=/" "$base/login" >/dev/null
cookie="jz_s=$(awk '/jz_s/ {print $7}' "$dir/cj")"
printf '%-40s %12s %10s %10s\n' "screen" "req/s" "p50" "p99"
for path in /healthz / /org /staff "/staff?q=%E3%82%84%E3%81%BE" /staff/41 /tiers /assess /gaps /gaps/person/41 /sessions /training /kpi; do
  out=$(wrk -t2 -c16 -d${T}s --latency -H "Cookie: $cookie" "$base$path" 2>&1)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  printf '%-40s %12s %10s %10s\n' "$path" "$rps" "$p50" "$p99"
done
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status)"
# 200 concurrent quiz submissions (p99 target under 50 ms).
bench/quiz.sh
