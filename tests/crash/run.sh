#!/bin/bash
# Crash test: SIGKILL at random points during writes, CRASH_RUNS times (50).
#
# A demo database, the server on a free loopback port. Each run either
#  - imports a generated roster of ROWS new people with `jinzai import staff`
#    and kills that process, or
#  - saves a new course with three related skills through the server (curl
#    POST of the form) and kills the server (restarted afterwards),
# at a random moment. After each kill the database must pass
# PRAGMA integrity_check, and the change must be all or nothing: the import's
# people are all there with their one import.staff audit row, or none are and
# there is no new row; the course is there with all its skills and its
# course.save audit row, or none of them are.
#
# usage: tests/crash/run.sh [path/to/jinzai]   Prints "N passed, N failed".
set -u
BIN=$(realpath "${1:-./jinzai}")
RUNS=${CRASH_RUNS:-50}
ROWS=${CRASH_ROWS:-300}
PW=crash-password-1
dir=$(mktemp -d)
db=$dir/crash.db
jar=$dir/cookies
server=
cleanup() {
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
for t in sqlite3 curl; do
  command -v $t >/dev/null || { echo "not ok - crash: $t is not installed (scripts/deps.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
done

q() { sqlite3 -cmd ".timeout 5000" "$db" "$1"; }

start_server() {
  local tries
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 30000))
    "$BIN" serve --db "$db" --listen "127.0.0.1:$port" 2>>"$dir/serve.log" &
    server=$!
    local i
    for i in $(seq 100); do
      if curl -fs -o /dev/null "http://127.0.0.1:$port/login"; then return 0; fi
      kill -0 "$server" 2>/dev/null || break
      sleep 0.05
    done
    kill -9 "$server" 2>/dev/null
    wait "$server" 2>/dev/null
  done
  echo "not ok - crash: the server does not start"; tail -5 "$dir/serve.log"; echo "0 passed, 1 failed"; exit 1
}

csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="\([0-9a-f]*\)"/\1/'; }

login() {
  local base="http://127.0.0.1:$port" t
  t=$(curl -fs -c "$jar" -b "$jar" "$base/login" | csrf_of)
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data "csrf=$t&login=dx&password=$PW&next=%2F" "$base/login"
  csrf=$(curl -fs -c "$jar" -b "$jar" "$base/courses/new" | csrf_of)
  [ -n "$csrf" ] || { echo "not ok - crash: cannot log in"; echo "0 passed, 1 failed"; exit 1; }
}

"$BIN" init --demo --db "$db" --demo-password "$PW" >/dev/null || { echo "not ok - crash: init"; echo "0 passed, 1 failed"; exit 1; }
unit=$(q "SELECT code FROM org_unit WHERE level = 4 ORDER BY id LIMIT 1")
items=($(q "SELECT id FROM skill_item ORDER BY id LIMIT 3"))
start_server
login

# How long one import takes here, so that kills spread over the whole of it.
gen_csv() {
  local tag=$1 f=$2 k
  printf '職員番号,漢字氏名,カナ氏名,所属コード,職位,職種,職員区分,異動年月日,採用日\r\n' >"$f"
  for k in $(seq -w 1 "$ROWS"); do
    printf 'C%s-%s,試験　太郎%s,シケン　タロウ,%s,主事,事務,正規,2026-04-01,2020-04-01\r\n' "$tag" "$k" "$k" "$unit"
  done >>"$f"
}
gen_csv 00 "$dir/warm.csv"
t0=$(date +%s%N)
"$BIN" import staff "$dir/warm.csv" --db "$db" >/dev/null 2>"$dir/warm.err" || { echo "not ok - crash: the import of a good file fails"; cat "$dir/warm.err"; echo "0 passed, 1 failed"; exit 1; }
import_ms=$((($(date +%s%N) - t0) / 1000000 + 1))
echo "# one import of $ROWS rows takes ${import_ms} ms; kills fall in 0..$((import_ms * 2)) ms"

pass=0
fail=0
for i in $(seq -w 1 "$RUNS"); do
  if [ $((10#$i % 2)) -eq 1 ]; then
    gen_csv "$i" "$dir/r.csv"
    a0=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'import.staff'")
    delay=$((RANDOM % (import_ms * 2 + 1)))
    "$BIN" import staff "$dir/r.csv" --db "$db" >/dev/null 2>&1 &
    pid=$!
    sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    what="import killed at ${delay} ms"
    ic=$(q "PRAGMA integrity_check")
    n=$(q "SELECT COUNT(*) FROM staff WHERE staff_no LIKE 'C$i-%'")
    a=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'import.staff'")
    if [ "$n" -eq 0 ] && [ "$a" -eq "$a0" ]; then state="none"; elif [ "$n" -eq "$ROWS" ] && [ "$a" -eq $((a0 + 1)) ]; then state="all $ROWS rows"; else state="PARTIAL: $n rows, $((a - a0)) audit rows"; fi
  else
    code="T-C$i"
    a0=$(q "SELECT COUNT(*) FROM audit_log")
    delay=$((RANDOM % 40))
    body="csrf=$csrf&code=$code&title=crash$i&provider=seisaku&format=exercise&tier=2&minutes=90&capacity=20&cost=0&active=1"
    for k in 0 1 2; do body="$body&skill_item_$k=${items[$k]}&skill_level_$k=2"; done
    curl -s -o /dev/null -b "$jar" --max-time 5 --data "$body" "http://127.0.0.1:$port/courses/new" &
    cpid=$!
    sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
    kill -9 "$server" 2>/dev/null
    wait "$server" 2>/dev/null
    wait $cpid 2>/dev/null
    server=
    what="server killed ${delay} ms into a save"
    ic=$(q "PRAGMA integrity_check")
    id=$(q "SELECT id FROM course WHERE code = '$code'")
    if [ -z "$id" ]; then
      n=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'course.save' AND summary LIKE '$code %'")
      [ "$n" -eq 0 ] && state="none" || state="PARTIAL: audit row without the course"
    else
      s=$(q "SELECT COUNT(*) FROM course_skill WHERE course_id = $id")
      n=$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'course.save' AND entity_id = $id")
      [ "$s" -eq 3 ] && [ "$n" -eq 1 ] && state="all (course, 3 skills, audit)" || state="PARTIAL: course with $s skills, $n audit rows"
    fi
    start_server
  fi
  if [ "$ic" = "ok" ] && [ "${state#PARTIAL}" = "$state" ]; then
    echo "ok - kill $((10#$i)): $what; integrity ok; $state"
    pass=$((pass + 1))
  else
    echo "not ok - kill $((10#$i)): $what; integrity: $ic; $state"
    fail=$((fail + 1))
  fi
done
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
server=
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
