#!/bin/sh
# Runs the test programs given (cmocka, TAP output), then the browser journey
# when chromium is installed, and prints one "N passed, N failed" line.
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
if [ -z "${NO_E2E:-}" ]; then
  if [ -x /usr/bin/chromium ] && [ ! -d tests/e2e/node_modules/playwright-core ] && command -v npm >/dev/null; then
    (cd tests/e2e && npm ci --no-audit --no-fund >/dev/null 2>&1)
  fi
  if [ -x /usr/bin/chromium ] && [ -d tests/e2e/node_modules/playwright-core ]; then
    echo "# browser journeys"
    (cd tests/e2e && node run.mjs "$JINZAI_BIN") > "$out/e2e" 2>&1
    rc=$?
    cat "$out/e2e"
    cat "$out/e2e" >> "$out/all"
    [ $rc -ne 0 ] && ! grep -q '^not ok' "$out/e2e" && echo "not ok - e2e exited with $rc" | tee -a "$out/all"
  else
    echo "# browser journeys skipped: chromium or playwright-core not installed (.ci/run installs them)"
  fi
fi
pass=$(grep -c '^ok ' "$out/all")
fail=$(grep -c '^not ok' "$out/all")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
