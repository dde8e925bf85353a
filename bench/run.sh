#!/bin/bash
# Benchmark at two sizes: the demo city (about 450 staff) and a synthetic
# organisation of BENCH_STAFF staff (`jinzai init --demo --staff N`). Prints
# one Markdown table per size, ready for docs/performance.md, then the
# imports, the xlsx export, peak memory and the quiz benchmark.
#
# Per page: req/s, p50 and p99 under wrk --latency (16 connections; also 64
# for the organisation-wide pages of the large organisation), req/s as a share
# of a static file served by the same binary in the same run, server CPU ms per
# request measured one request at a time (utime+stime of the server process
# from /proc/PID/stat over sequential requests), and the page's size.
#
# A page that takes so long that wrk could not complete a request within the
# run (estimated latency under load, from its CPU cost, above half of
# BENCH_SECONDS) is not loaded: its row shows the estimate, marked "est.".
# After each wrk run the script waits for the server to go idle, so that
# requests wrk abandoned do not count against the next page.
#
# Then, when PostgreSQL is installed (scripts/pgtmp.sh), both backends side
# by side: each size's SQLite database, as built before its SQLite run, is
# moved with `jinzai copy` into a throwaway PostgreSQL cluster (analysed
# after), served by the same binary, and the same pages measured with the same
# method, with shorter runs to keep within the time budget: BENCH_PG_SECONDS
# of wrk (default 2) and BENCH_PG_SEQ_SECONDS of sequential requests (default
# 1). The CPU of a request there is two numbers: the server process's, and
# the cluster's own (every postgres process of the cluster, from
# /proc/PID/stat, with the children that exited).
#
# Knobs: BENCH_SECONDS (wrk seconds per page, default 5), BENCH_STAFF
# (default 30000), BENCH_PG=0 (no PostgreSQL part), BENCH_PG_STAFF (the large
# organisation on PostgreSQL, default BENCH_STAFF; `jinzai copy` of 30,000
# staff into PostgreSQL takes about 40 s; a size other than BENCH_STAFF is
# built for it and has no SQLite numbers beside it), BENCH_QUICK=1 (the CI smoke: the
# demo city only, 1-second runs, no imports or quiz; on PostgreSQL five pages
# of the demo city). Exits non-zero when the script itself fails or a page
# does not answer 200; slow numbers never fail it.
set -euo pipefail
cd "$(dirname "$0")/.."
for t in wrk sqlite3 curl; do
  command -v $t >/dev/null || { echo "bench needs $t (apt-get install $t)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
QUICK=${BENCH_QUICK:-0}
T=${BENCH_SECONDS:-5}
BIG=${BENCH_STAFF:-30000}
[ "$QUICK" = 1 ] && T=${BENCH_SECONDS:-1} && export BENCH_SEQ_SECONDS=${BENCH_SEQ_SECONDS:-0.5}
PY=/usr/bin/python3
JZ=$PWD/jinzai
PW=bench-password-1
TICK=$(getconf CLK_TCK)
NCPU=$(nproc)
STATIC=/assets/style.css # the largest embedded asset
dir=$(mktemp -d)
pid=
pgdir=
PGPM=
PG=${BENCH_PG:-1}
[ "$PG" = 1 ] && ! scripts/pgtmp.sh available && PG=none
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_STAFF=${BENCH_PG_STAFF:-$BIG}
declare -A PAGES SQ_MS SQ_P99
stop_server() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
stop_pg() { if [ -n "$pgdir" ]; then scripts/pgtmp.sh stop "$pgdir" || true; pgdir=; fi; }
trap 'stop_server; stop_pg; rm -rf "$dir"' EXIT
bad=0
started=$(date +%s)

# Server CPU time in ms (utime + stime).
cpu_ms() { awk -v t="$TICK" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000 / t }' "/proc/$pid/stat"; }

# Waits until the server has used no CPU for half a second (at most 120 s).
wait_idle() {
  local a b i
  a=$(cpu_ms)
  for i in $(seq 240); do
    sleep 0.5
    b=$(cpu_ms)
    [ "$a" = "$b" ] && return 0
    a=$b
  done
  echo "warning: server still busy after 120 s" >&2
}

start_server() { # db
  port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$JZ" serve --db "$1" --listen 127.0.0.1:$port 2>"$dir/serve.log" &
  pid=$!
  base="http://127.0.0.1:$port"
  for i in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
  curl -sf "$base/healthz" >/dev/null || { echo "the server did not start:" >&2; cat "$dir/serve.log" >&2; exit 1; }
  rm -f "$dir/cj"
  curl -s -c "$dir/cj" "$base/login" >/dev/null
  local tok
  tok=$(awk '/jz_pre/ {print $7}' "$dir/cj")
  curl -s -b "$dir/cj" -c "$dir/cj" -H "Origin: $base" -d "csrf=$tok&login=dx&password=$PW&next=/" "$base/login" >/dev/null
  cookie="jz_s=$(awk '/jz_s/ {print $7}' "$dir/cj")"
  [ "$cookie" != "jz_s=" ] || { echo "cannot log in as dx" >&2; exit 1; }
}

# Sequential requests on one keep-alive connection, for about BENCH_SEQ_SECONDS
# (default 2; at least 3 requests, at most 2000): sets ms (server CPU per
# request, from /proc/PID/stat), code and size (of the first answer); with
# PGPM set (a PostgreSQL postmaster's PID), also pgms: the CPU per request of
# that cluster (the postmaster, its live children, and through its cutime and
# cstime the children that exited).
one_by_one() { # path
  local out
  out=$($PY - "$port" "$1" "$cookie" "$pid" "${BENCH_SEQ_SECONDS:-2}" "$PGPM" <<'PYEOF'
import http.client, os, sys, time
port, path, cookie, spid, secs = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
pm = sys.argv[6]
tick = os.sysconf("SC_CLK_TCK")
def stat(p):
    return open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()
def cpu():
    f = stat(spid)
    return (int(f[11]) + int(f[12])) * 1000.0 / tick
def pgcpu():
    if not pm:
        return 0.0
    f = stat(pm)
    t = int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
    for d in os.listdir("/proc"):
        if d.isdigit() and d != pm:
            try:
                f = stat(d)
            except OSError:
                continue
            if f[1] == pm:
                t += int(f[11]) + int(f[12])
    return t * 1000.0 / tick
c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
def get():
    c.request("GET", path, headers={"Cookie": cookie})
    r = c.getresponse()
    return r.status, len(r.read())
code, size = get()  # warm-up
n, t0, c0, g0 = 0, time.time(), cpu(), pgcpu()
while n < 2000 and (n < 3 or time.time() - t0 < secs):
    get()
    n += 1
print("%.2f %d %d %.2f" % ((cpu() - c0) / n, code, size, (pgcpu() - g0) / n))
PYEOF
)
  read -r ms code size pgms <<<"$out"
}

# wrk: sets rps p50 p99 (or marks them estimated when the page is too slow).
load() { # path connections
  local est out
  est=$(awk -v ms="$ms" -v c="$2" -v n="$NCPU" 'BEGIN { printf "%.0f", ms * c / n }')
  if [ "$est" -gt $((T * 500)) ]; then
    rps=$(awk -v ms="$ms" -v n="$NCPU" 'BEGIN { printf "est. %.1f", (ms > 0 ? n * 1000 / ms : 0) }')
    p50="est. $(fmt_ms "$est")"
    p99=$p50
    return
  fi
  out=$(wrk -t2 -c"$2" -d"${T}s" --timeout 30s --latency -H "Cookie: $cookie" "$base$1" 2>&1)
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  if echo "$out" | grep -q 'Non-2xx'; then
    echo "error: $1 answered non-2xx under load" >&2
    bad=1
  fi
  wait_idle
}

fmt_ms() { awk -v ms="$1" 'BEGIN { if (ms >= 1000) printf "%.1fs", ms / 1000; else printf "%dms", ms }'; }

fmt_size() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MB", b / 1048576; else if (b >= 1024) printf "%.0f KB", b / 1024; else printf "%d B", b }'; }

# wrk's "12.04ms", "198.00us", "1.73s" (or "est. 3.5s") in ms.
to_ms() { awk -v v="$1" 'BEGIN { sub(/^est\. /, "", v); x = v + 0; if (v ~ /us$/) x /= 1000; else if (v ~ /ms$/) x += 0; else if (v ~ /s$/) x *= 1000; printf "%.1f", x }'; }

# The issue's goals for one row: "✓", or what misses and by how much.
#   demo city: ≥ 10% of the static file's req/s and p99 < 10 ms at 16 connections;
#   large organisation: a one-person page within ×1.5 of its demo-city CPU;
#   p99 < 100 ms at 16 and < 250 ms at 64 connections.
goal() { # size-label cpu share p99_16 p99_64 cpu_at_450 one_person
  awk -v big="$1" -v cpu="$2" -v sh="$3" -v p16="$4" -v p64="$5" -v c450="$6" -v one="$7" 'BEGIN {
    sub(/^est\. /, "", sh); sub(/%$/, "", sh); m = "";
    if (!big) {
      if (sh + 0 < 10) m = m sprintf("%s%.1f%% of static (goal 10%%)", m ? "; " : "", sh);
      if (p16 + 0 >= 10) m = m sprintf("%sp99 %.0f ms (goal 10)", m ? "; " : "", p16);
    } else {
      if (one && c450 > 0 && cpu / c450 > 1.5) m = m sprintf("%sCPU ×%.1f of the demo city (goal ×1.5)", m ? "; " : "", cpu / c450);
      if (p16 + 0 >= 100) m = m sprintf("%sp99 %.0f ms at 16 (goal 100)", m ? "; " : "", p16);
      if (p64 != "" && p64 + 0 >= 250) m = m sprintf("%sp99 %.0f ms at 64 (goal 250)", m ? "; " : "", p64);
    }
    print m == "" ? "✓" : "misses: " m }'
}

share() { awk -v a="$1" -v s="$static_rps" 'BEGIN { if (a ~ /^est/) { sub(/^est\. /, "", a); printf "est. " } printf "%.1f%%", (s > 0 ? 100 * a / s : 0) }'; }

# One size: builds the organisation, serves it, prints its table.
bench_size() { # staff (0: the demo city) label
  local db="$dir/bench-$1.db" staff_opt=() t0 t1
  [ "$1" -gt 0 ] && staff_opt=(--staff "$1")
  /usr/bin/time -f '%e %M' -o "$dir/init.time" "$JZ" init --demo "${staff_opt[@]}" --db "$db" --demo-password $PW >/dev/null
  local staff units sid root nendo init_s init_rss
  staff=$(sqlite3 "$db" "SELECT COUNT(*) FROM staff")
  units=$(sqlite3 "$db" "SELECT COUNT(*) FROM org_unit")
  sid=$(sqlite3 "$db" "SELECT staff_id FROM account WHERE login = 'dx'")
  root=$(sqlite3 "$db" "SELECT id FROM org_unit WHERE code = '1'")
  nendo=$(sqlite3 "$db" "SELECT value FROM setting WHERE key = 'current_nendo'")
  read -r init_s init_rss <"$dir/init.time"
  # what the PostgreSQL part copies: the database as built, before any request
  [ "$PG" = 1 ] && sqlite3 "$db" ".backup '$dir/pg-src-$1.db'"
  start_server "$db"
  local pages=(/assess "/staff/$sid" "/gaps/person/$sid" /training / /staff /assess/review /gaps /plans/demand
    /kpi /kpi/report /kpi/targets "/gaps/unit/$root" "/export/staff?format=csv" "/export/assessments?format=csv")
  # organisation-wide pages, also at 64 connections in the large organisation
  PAGES[$1]="${pages[*]}"
  local wide=" / /staff /assess/review /gaps /plans/demand /kpi /kpi/report /kpi/targets /training /gaps/unit/$root /export/staff?format=csv /export/assessments?format=csv "
  one_by_one "$STATIC"
  load "$STATIC" 16
  static_rps=$rps
  echo
  echo "### $2: $staff staff, $units units (年度 $nendo)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $NCPU CPUs, ${T}s per wrk run."
  echo "Built in ${init_s}s (peak RSS $((init_rss / 1024)) MB), database $(fmt_size "$(stat -c %s "$db")")."
  echo "Static file: $STATIC ($(fmt_size "$size")), $static_rps req/s, p50 $p50, p99 $p99, ${ms} ms CPU/request."
  echo
  local c64=
  [ "$1" -gt 0 ] && [ "$QUICK" != 1 ] && c64=1
  if [ -n "$c64" ]; then
    echo "| page | CPU ms/req | size | req/s (16) | p50 (16) | p99 (16) | vs static | req/s (64) | p99 (64) | goals |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  else
    echo "| page | CPU ms/req | size | req/s (16) | p50 (16) | p99 (16) | vs static | goals |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
  fi
  local p row i=0 p99_16 p99_64 big=0
  [ "$1" -gt 0 ] && big=1
  for p in "${pages[@]}"; do
    one_by_one "$p"
    if [ "$code" != 200 ]; then
      echo "error: $p answered $code" >&2
      bad=1
    fi
    local sz=$size
    load "$p" 16
    p99_16=$(to_ms "$p99")
    local p99_raw=$p99
    p99_64=
    local sh
    sh=$(share "$rps")
    row="| \`$p\` | $ms | $(fmt_size "$sz") | $rps | $p50 | $p99 | $sh |"
    if [ -n "$c64" ]; then
      if [[ "$wide" == *" $p "* ]]; then
        load "$p" 64
        p99_64=$(to_ms "$p99")
        row="$row $rps | $p99 |"
      else
        row="$row | |"
      fi
    fi
    [ "$big" = 0 ] && cpu_small[i]=$ms
    SQ_MS["$1|$p"]=$ms
    SQ_P99["$1|$p"]=$p99_raw
    # the pages about one person: /assess, /staff/ID, /gaps/person/ID, /training
    local one=0
    [ "$i" -le 3 ] && one=1
    echo "$row $(goal "$big" "$ms" "$sh" "$p99_16" "$p99_64" "${cpu_small[i]:-0}" "$one") |"
    i=$((i + 1))
  done
  echo
  echo "Server peak RSS (VmHWM) through the run: $(awk '/VmHWM/ {printf "%d MB", $2 / 1024}' "/proc/$pid/status")."
  stop_server
  /usr/bin/time -f '%e %M' -o "$dir/kpi.time" "$JZ" kpi --year "$nendo" --db "$db" >/dev/null
  read -r kpi_s kpi_rss <"$dir/kpi.time"
  echo "CLI \`jinzai kpi --year $nendo\` (never hashes a password): ${kpi_s}s, peak RSS $((kpi_rss / 1024)) MB."
  if [ "$1" -gt 0 ] && [ "$QUICK" != 1 ]; then
    bench/afterwrite.sh "$db" || bad=1 # the organisation-wide pages right after a write
    imports "$db"
    /usr/bin/time -f '%e %M' -o "$dir/xlsx.time" "$JZ" export assessments --format xlsx --out "$dir/a.xlsx" --db "$db" >/dev/null
    read -r x_s x_rss <"$dir/xlsx.time"
    local rows
    rows=$(sqlite3 "$db" "SELECT COUNT(*) FROM assessment_item i JOIN assessment a ON a.id = i.assessment_id WHERE a.nendo = $nendo")
    echo "xlsx export \`jinzai export assessments --format xlsx\` ($rows item rows of 年度 $nendo, $(fmt_size "$(stat -c %s "$dir/a.xlsx")")): ${x_s}s, peak RSS $((x_rss / 1024)) MB."
  fi
}

# Roster imports (32k and 128k rows) and the 990k-row assessment import
# against sqlite3 .import of the same files: bench/import.sh.
imports() { # db
  bench/import.sh "$1" || bad=1
}

# One size on PostgreSQL: the SQLite database saved before that size's run
# (or, for a BENCH_PG_STAFF of its own, one built now) copied into a new
# database of the cluster, served, measured; prints the side-by-side table.
pg_size() { # staff (0: the demo city) label
  local src="$dir/pg-src-$1.db" url="$pgbase dbname=bench_$1" t0 copy_s
  if [ ! -f "$src" ]; then
    "$JZ" init --demo --staff "$1" --db "$src" --demo-password $PW >/dev/null
  fi
  "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 "$pgbase dbname=jinzai" -c "CREATE DATABASE bench_$1" >/dev/null
  t0=$(date +%s.%N)
  "$JZ" copy --from "$src" --to "$url" >"$dir/copy.log" || { cat "$dir/copy.log" >&2; exit 1; }
  "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 "$url" -c "VACUUM ANALYZE" >/dev/null
  copy_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  local staff units
  staff=$(sqlite3 "$src" "SELECT COUNT(*) FROM staff")
  units=$(sqlite3 "$src" "SELECT COUNT(*) FROM org_unit")
  start_server "$url"
  local pages=()
  read -ra pages <<<"${PAGES[$1]:-}"
  if [ ${#pages[@]} = 0 ]; then
    local sid root
    sid=$(sqlite3 "$src" "SELECT staff_id FROM account WHERE login = 'dx'")
    root=$(sqlite3 "$src" "SELECT id FROM org_unit WHERE code = '1'")
    pages=(/assess "/staff/$sid" "/gaps/person/$sid" /training / /staff /assess/review /gaps /plans/demand
      /kpi /kpi/report /kpi/targets "/gaps/unit/$root" "/export/staff?format=csv" "/export/assessments?format=csv")
  fi
  # the smoke: five pages, enough to run every step
  [ "$QUICK" = 1 ] && pages=("${pages[0]}" "${pages[1]}" / /gaps /kpi)
  echo
  echo "### $2 on both backends: $staff staff, $units units"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $NCPU CPUs."
  echo "SQLite: the run above (${T_SQ}s per wrk run). PostgreSQL 15 (a throwaway cluster on this machine, unix socket, fsync off, shared_buffers 32MB): \`jinzai copy\` and VACUUM ANALYZE ${copy_s}s; ${T}s per wrk run, ${BENCH_SEQ_SECONDS}s of sequential requests per page."
  echo "CPU ms/req on PostgreSQL: jinzai is the server process, postgres the cluster's processes, both their sum."
  echo
  echo "| page | SQLite CPU ms/req | PostgreSQL: jinzai CPU ms/req | PostgreSQL: postgres CPU ms/req | PostgreSQL: both | SQLite p99 (16) | PostgreSQL p99 (16) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  local p both
  for p in "${pages[@]}"; do
    one_by_one "$p"
    if [ "$code" != 200 ]; then
      echo "error: $p answered $code on PostgreSQL" >&2
      bad=1
    fi
    local jms=$ms
    both=$(awk -v a="$ms" -v b="$pgms" 'BEGIN { printf "%.2f", a + b }')
    ms=$both # load() estimates from the whole cost of a request
    load "$p" 16
    local sq=${SQ_MS["$1|$p"]:-–} sq99=${SQ_P99["$1|$p"]:-–}
    echo "| \`$p\` | $sq | $jms | $pgms | $both | $sq99 | ${p99} |"
  done
  stop_server
}

# Both backends side by side, when PostgreSQL is installed.
pg_part() {
  [ "$PG" != 0 ] || return 0
  if [ "$PG" = none ]; then
    echo
    echo "PostgreSQL 15 is not installed: no side-by-side tables (scripts/deps.sh installs it)."
    return 0
  fi
  local out
  out=$(scripts/pgtmp.sh start)
  pgdir=$(echo "$out" | sed -n 's/^PGTMP_DIR=//p')
  pgbase=$(echo "$out" | sed -n "s/^PGTMP_URL='\(.*\) dbname=jinzai'$/\1/p")
  [ -n "$pgdir" ] && [ -n "$pgbase" ] || { echo "cannot start PostgreSQL: $out" >&2; exit 1; }
  PGPM=$(head -1 "$pgdir/data/postmaster.pid")
  T_SQ=$T
  T=${BENCH_PG_SECONDS:-$([ "$QUICK" = 1 ] && echo 1 || echo 2)}
  export BENCH_SEQ_SECONDS=${BENCH_PG_SEQ_SECONDS:-$([ "$QUICK" = 1 ] && echo 0.5 || echo 1)}
  echo
  echo "## Both backends"
  pg_size 0 "Demo city"
  [ "$QUICK" = 1 ] || pg_size "$PG_STAFF" "Large organisation"
  PGPM=
  stop_pg
}

echo "## Benchmark"
bench_size 0 "Demo city"
if [ "$QUICK" != 1 ]; then
  bench_size "$BIG" "Large organisation"
  echo
  echo "Quiz: 200 concurrent submissions (bench/quiz.sh):"
  bench/quiz.sh
fi
pg_part
echo
echo "Benchmark run time: $(($(date +%s) - started)) s."
[ "$bad" = 0 ] || { echo "bench: some pages failed (see above)" >&2; exit 1; }
