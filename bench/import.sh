#!/bin/bash
# Import benchmark: roster imports of 32k and 128k rows and an assessment
# import of 990k rows into copies of a large organisation, with wall and CPU
# time and peak RSS, against `sqlite3 .import` of the same files into a plain
# table. Called by bench/run.sh with the organisation's database; alone:
#   bench/import.sh [DB]     (without DB it builds one of BENCH_STAFF staff)
# Roster files of 32k and 128k rows, like with like: the organisation's
# roster exported and cycled to the size, every row with a new staff number
# (same units, posts and names), so each file is imported into a copy of the
# organisation that holds none of its people (all new), then imported a
# second time (all unchanged). The linearity check compares 128k with 32k
# for each of the two. IMPORT_RUNS=3 takes the median of three runs.
# Assessment file: the assessments exported, extended to 990k lines with
# lines for the 年度 before.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
JZ=${IMPORT_JZ:-$PWD/jinzai}
[ -x "$JZ" ] || JZ=$PWD/build/release/jinzai
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=${1:-}
if [ -z "$db" ]; then
  db=$dir/org.db
  "$JZ" init --demo --staff "${BENCH_STAFF:-30000}" --db "$db" --demo-password bench-password-1 >/dev/null
fi

RUNS=${IMPORT_RUNS:-1}

# Runs a command under /usr/bin/time: sets t_wall, t_cpu, t_rss (MB).
timed() {
  /usr/bin/time -f '%e %U %S %M' -o "$dir/t" "$@" >/dev/null 2>"$dir/err" ||
    { echo "error: $* failed:" >&2; head -5 "$dir/err" >&2; exit 1; }
  read -r t_wall u s m <"$dir/t"
  t_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  t_rss=$((m / 1024))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "×%.1f", (b > 0 ? a / b : 0) }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

"$JZ" export staff --format csv --db "$db" >"$dir/roster.csv"
for n in 32000 128000; do
  $PY - "$dir/roster.csv" "$n" "$dir/roster-$n.csv" <<'PYEOF'
import sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(src, encoding="utf-8-sig").read().splitlines()
head, body = lines[0], lines[1:]
rows = []
for k in range(n):
    f = body[k % len(body)].split(",")
    f[0] = "N%07d" % k  # a staff number the organisation does not have
    rows.append(",".join(f))
open(out, "w", encoding="utf-8").write("\n".join([head] + rows) + "\n")
PYEOF
  W1=() C1=() R1=() W2=() C2=() WS=() CS=()
  for _ in $(seq "$RUNS"); do
    cp "$db" "$dir/imp.db"
    sync "$dir/imp.db" # the copy's dirty pages are not the import's to write
    timed "$JZ" import staff "$dir/roster-$n.csv" --db "$dir/imp.db"
    W1+=("$t_wall") C1+=("$t_cpu") R1+=("$t_rss")
    timed "$JZ" import staff "$dir/roster-$n.csv" --db "$dir/imp.db"
    W2+=("$t_wall") C2+=("$t_cpu")
    rm -f "$dir/plain.db"
    timed sqlite3 "$dir/plain.db" ".import --csv $dir/roster-$n.csv roster"
    WS+=("$t_wall") CS+=("$t_cpu")
  done
  w1=$(median "${W1[@]}") c1=$(median "${C1[@]}") r1=$(median "${R1[@]}")
  w2=$(median "${W2[@]}") c2=$(median "${C2[@]}") ws=$(median "${WS[@]}") cs=$(median "${CS[@]}")
  echo "Roster import of $n rows, all new: ${w1}s (CPU ${c1}s, peak RSS ${r1} MB); again, all unchanged: ${w2}s (CPU ${c2}s); sqlite3 .import: ${ws}s (CPU ${cs}s); new $(ratio "$w1" "$ws") of .import (CPU $(ratio "$c1" "$cs")), unchanged $(ratio "$w2" "$ws") (CPU $(ratio "$c2" "$cs"))."
  eval "w_$n=$w1 a_$n=$w2 cw_$n=$c1 ca_$n=$c2"
done
echo "Linearity: 128k rows take $(ratio "$w_128000" "$w_32000") the 32k time all new (CPU $(ratio "$cw_128000" "$cw_32000")), $(ratio "$a_128000" "$a_32000") all unchanged (CPU $(ratio "$ca_128000" "$ca_32000")) (goal ≤ ×4)."

"$JZ" export assessments --format csv --db "$db" >"$dir/assess.csv"
$PY - "$dir/assess.csv" 990000 "$dir/assess-990k.csv" <<'PYEOF'
import sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(src, encoding="utf-8-sig").read().splitlines()
head, body = lines[0], lines[1:]
rows = body[:n]
k = 0
while len(rows) < n:  # the 年度 before, for the same people and items
    f = body[k % len(body)].split(",")
    f[2] = str(int(f[2]) - 1 - k // len(body))
    rows.append(",".join(f))
    k += 1
open(out, "w", encoding="utf-8").write("\n".join([head] + rows) + "\n")
PYEOF
size=$(($(stat -c %s "$dir/assess-990k.csv") / 1048576))
cp "$db" "$dir/imp.db"
sync "$dir/imp.db"
timed "$JZ" import assessments "$dir/assess-990k.csv" --dry-run --db "$dir/imp.db"
echo "Assessment import of 990000 rows (${size} MB), dry run: ${t_wall}s (CPU ${t_cpu}s, peak RSS ${t_rss} MB)."
timed "$JZ" import assessments "$dir/assess-990k.csv" --db "$dir/imp.db"
echo "Assessment import of 990000 rows, applied: ${t_wall}s (CPU ${t_cpu}s, peak RSS ${t_rss} MB)."
rm -f "$dir/plain.db"
timed sqlite3 "$dir/plain.db" ".import --csv $dir/assess-990k.csv assess"
echo "sqlite3 .import of the same file: ${t_wall}s."
