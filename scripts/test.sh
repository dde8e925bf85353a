#!/bin/sh
# Runs the test programs given (cmocka, TAP output), then the browser journeys
# when chromium is installed (on PostgreSQL when JINZAI_E2E_PG names a
# cluster; tests/e2e/run.mjs), and prints one "N passed, N failed" line.
B=$1; shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export CMOCKA_MESSAGE_OUTPUT=TAP
export JINZAI_BIN="$PWD/$B/jinzai"
: > "$out/all"
for t in "$@"; do
  echo "# $t"
  "$t" > "$out/one" 2>&1
  rc=$?
  cat "$out/one"
  cat "$out/one" >> "$out/all"
  if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out/one"; then
    echo "not ok - $t exited with $rc" | tee -a "$out/all"
  fi
done
# The browser journey needs chromium, node and tests/e2e/node_modules. As
# root, what is missing is installed; otherwise the exact cause is printed.
e2e_cause() {
  if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      WITH_BROWSER=1 scripts/deps.sh >"$out/deps" 2>&1 || { echo "installing chromium and node failed: $(tail -3 "$out/deps" | tr '\n' ' ')"; return; }
    fi
  fi
  [ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is not installed (sudo apt-get install -y chromium fonts-noto-cjk, or as root: WITH_BROWSER=1 scripts/deps.sh)"; return; }
  command -v node >/dev/null 2>&1 || { echo "node is not installed (sudo apt-get install -y nodejs npm)"; return; }
  [ -d tests/e2e/node_modules/playwright-core ] && [ -d tests/e2e/node_modules/axe-core ] && return
  command -v npm >/dev/null 2>&1 || { echo "npm is not installed, so tests/e2e/node_modules cannot be set up (sudo apt-get install -y npm)"; return; }
  (cd tests/e2e && npm ci --no-audit --no-fund) >"$out/npm" 2>&1 ||
    { echo "npm ci in tests/e2e failed (network or registry?): $(tail -3 "$out/npm" | tr '\n' ' ')"; return; }
}
if [ -z "${NO_E2E:-}" ]; then
  cause=$(e2e_cause)
  if [ -z "$cause" ]; then
    echo "# browser journeys${JINZAI_E2E_PG:+ on PostgreSQL}"
    (cd tests/e2e && node run.mjs "$JINZAI_BIN") > "$out/e2e" 2>&1
    rc=$?
    cat "$out/e2e"
    cat "$out/e2e" >> "$out/all"
    [ $rc -ne 0 ] && ! grep -q '^not ok' "$out/e2e" && echo "not ok - e2e exited with $rc" | tee -a "$out/all"
  else
    echo "# browser journeys skipped: $cause"
  fi
fi
pass=$(grep -c '^ok ' "$out/all")
fail=$(grep -c '^not ok' "$out/all")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
