#!/bin/sh
# layers.sh - fails on an #include that runs upward between the folders of
# src/ (docs/architecture.md, "Layers"). From the bottom up:
#   0 core
#   1 io, db
#   2 auth, domain     (domain may include auth, never the reverse)
#   3 demo             (the demo data, built through the domain)
#   4 http             (request, response, form parsing, kv, proxy)
#   5 html             (uses core, io and http's response buffer only)
#   6 pages
#   7 app              (the route table, the router, the server)
# A file may include its own folder and the folders below it. Includes
# listed in scripts/layers.allow are tolerated (see that file). Prints TAP
# lines; exits 1 on any violation or a stale allow-list entry.
cd "$(dirname "$0")/.." || exit 1
allow=scripts/layers.allow
rank() {
  case $1 in
    core) echo 0 ;; io|db) echo 1 ;; auth|domain) echo 2 ;; demo) echo 3 ;;
    http) echo 4 ;; html) echo 5 ;; pages) echo 6 ;; app) echo 7 ;; *) echo 99 ;;
  esac
}
bad=0; used=$(mktemp); trap 'rm -f "$used"' EXIT
for f in src/*/*.c src/*/*.h; do
  from=$(basename "$(dirname "$f")")
  grep -o '^#include "\.\./[a-z_]*/[^"]*"' "$f" | sed 's/^#include "\.\.\///; s/"$//' | while read -r inc; do
    to=${inc%%/*}
    [ "$to" = "$from" ] && continue
    rf=$(rank "$from"); rt=$(rank "$to")
    up=0
    if [ "$rt" -gt "$rf" ]; then up=1
    elif [ "$rt" -eq "$rf" ] && ! { [ "$from" = domain ] && [ "$to" = auth ]; }; then up=1
    elif [ "$from" = html ] && [ "$to" != core ] && [ "$to" != io ] && [ "$to" != http ]; then up=1
    fi
    [ $up -eq 0 ] && continue
    if grep -qx "$f \.\./$inc" "$allow" 2>/dev/null; then echo "$f ../$inc" >> "$used"; continue; fi
    echo "not ok - $f includes ../$inc: $from may not use $to"
    echo x >> "$used.bad"
  done
done
[ -f "$used.bad" ] && { bad=1; rm -f "$used.bad"; }
# An allow-list entry that no longer matches an include is removed, so the
# list only shrinks.
grep -v '^#' "$allow" 2>/dev/null | grep . | while read -r line; do
  grep -qx "$line" "$used" || { echo "not ok - $allow: '$line' no longer occurs: remove it"; echo x >> "$used.stale"; }
done
[ -f "$used.stale" ] && { bad=1; rm -f "$used.stale"; }
[ $bad -eq 0 ] && echo "ok - layers: no include runs upward"
exit $bad
