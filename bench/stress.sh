#!/bin/sh
# Stress: a bounded soak and a slowloris run against a demo database on a
# free loopback port, while normal requests keep being measured.
#   1. soak: wrk, STRESS_CONNS (64) connections for STRESS_SECONDS (20) over a
#      few screens as a logged-in user: requests/s and p99;
#   2. slowloris: STRESS_SLOW (300) connections from other loopback addresses
#      (127.0.0.2-6, so the per-address cap does not shut out the prober) that
#      each send one header byte a second for STRESS_SLOW_SECONDS (25), while a
#      prober from 127.0.0.1 requests pages: served / tried and its p99;
#   3. the server's RSS at start, after the soak and at the end.
# Loopback only, about a minute, stops by itself. Not run by CI.
set -eu
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "stress needs wrk: apt-get install wrk" >&2; exit 1; }
command -v python3 >/dev/null || { echo "stress needs python3" >&2; exit 1; }
T=${STRESS_SECONDS:-20}
C=${STRESS_CONNS:-64}
SLOW=${STRESS_SLOW:-300}
ST=${STRESS_SLOW_SECONDS:-25}
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
./jinzai init --demo --db "$dir/stress.db" --demo-password stress-password-1 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./jinzai serve --db "$dir/stress.db" --listen 127.0.0.1:$port 2>"$dir/serve.log" &
pid=$!
for i in $(seq 1 25); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$port"
curl -s -c "$dir/cj" "$base/login" >/dev/null
tok=$(awk '/jz_pre/ {print $7}' "$dir/cj")
curl -s -b "$dir/cj" -c "$dir/cj" -H "Origin: $base" -d "csrf=$tok&login=dx&password=stress-password-1&next=/" "$base/login" >/dev/null
cookie="jz_s=$(awk '/jz_s/ {print $7}' "$dir/cj")"
rss() { awk '/VmRSS/ {print $2}' /proc/$pid/status; }
for p in / /staff /org /kpi /healthz; do curl -s -o /dev/null -H "Cookie: $cookie" "$base$p"; done
rss0=$(rss)

# 1. Soak: the screens in turn on every connection.
cat >"$dir/paths.lua" <<'LUA'
local paths = {"/", "/staff", "/staff?page=2", "/org", "/kpi", "/sessions", "/healthz"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
out=$(wrk -t2 -c"$C" -d"${T}s" --latency -s "$dir/paths.lua" -H "Cookie: $cookie" "$base" 2>&1)
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
errs=$(echo "$out" | awk '/Non-2xx|Socket errors/' | tr '\n' ' ')
rss1=$(rss)

# 2. Slowloris with a prober.
cat >"$dir/slow.py" <<'PY'
import socket, sys, threading, time, http.client
port, nslow, secs, cookie = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
slow, refused = [], 0
for i in range(nslow):
    src = "127.0.0.%d" % (2 + i % 5)
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2, source_address=(src, 0))
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    except OSError:
        refused += 1
stop = time.time() + secs
def drip():
    n = 0
    while time.time() < stop:
        for s in list(slow):
            try:
                s.sendall(b"X-a: b\r\n"[n % 8:n % 8 + 1])
            except OSError:
                slow.remove(s)
        n += 1
        time.sleep(1)
t = threading.Thread(target=drip)
t.start()
lat, ok, tried = [], 0, 0
paths = ["/", "/staff", "/healthz"]
while time.time() < stop:
    tried += 1
    t0 = time.time()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=("127.0.0.1", 0))
        c.request("GET", paths[tried % 3], headers={"Cookie": cookie})
        r = c.getresponse()
        r.read()
        if r.status == 200:
            ok += 1
            lat.append(time.time() - t0)
        c.close()
    except OSError:
        pass
    time.sleep(0.05)
t.join()
alive = len(slow)
for s in slow:
    s.close()
lat.sort()
p99 = lat[int(len(lat) * 0.99) - 1] * 1000 if lat else float("nan")
print("%d %d %d %d %.1f" % (ok, tried, len(slow) + 0, refused, p99))
print(alive, file=sys.stderr)
PY
set -- $(python3 "$dir/slow.py" "$port" "$SLOW" "$ST" "$cookie" 2>"$dir/alive")
served=$1 tried=$2 held=$3 refused=$4 sp99=$5
rss2=$(rss)
kill -0 $pid 2>/dev/null || { echo "not ok - the server died"; exit 1; }
logged=$(wc -l <"$dir/serve.log")

echo "soak: wrk ${T}s, $C connections, 7 screens as dx"
printf '  %-34s %s\n' "requests/s" "$rps" "p99" "$p99"
[ -n "$errs" ] && printf '  %-34s %s\n' "non-2xx / socket errors" "$errs"
echo "slowloris: $SLOW connections, one header byte a second for ${ST}s"
printf '  %-34s %s\n' "slow connections held open" "$held (refused at connect: $refused)" \
  "normal requests served" "$served / $tried" "normal p99" "${sp99} ms"
echo "server RSS (kB)"
printf '  %-34s %s\n' "start" "$rss0" "after soak" "$rss1" "end" "$rss2"
echo "  request log lines: $logged"
grow=$(( (rss2 - rss1) * 100 / rss1 ))
if [ "$served" -gt 0 ] && [ "$served" -eq "$tried" ] && [ $grow -le 10 ]; then
  echo "ok - stress: normal requests served throughout, RSS flat after the soak (${grow}%)"
else
  echo "not ok - stress: served $served of $tried, RSS after the soak grew ${grow}%"
  exit 1
fi
