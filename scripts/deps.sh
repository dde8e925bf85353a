#!/bin/sh
# Installs the Debian 12 packages jinzai needs to build and test, when missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -e
PKGS="gcc make pkg-config libmicrohttpd-dev libsqlite3-dev libsodium-dev libutf8proc-dev libcmocka-dev libcurl4-openssl-dev libldap-dev libcmark-dev libzip-dev libxml2-dev libjson-c-dev zlib1g-dev sqlite3 faketime curl zip"
# Real servers the tests start and stop themselves: an LDAP directory and an SMTP sink.
PKGS="$PKGS slapd ldap-utils python3-aiosmtpd"
# The PostgreSQL backend: libpq to build; the server for its tests, which
# start a throwaway cluster themselves (scripts/pgtmp.sh).
PKGS="$PKGS libpq-dev postgresql-15"
# nginx for the journey with two nodes behind it, which runs its own nginx
# on free ports with a temporary config (Debian's nginx service is disabled
# below).
PKGS="$PKGS nginx"
# The benchmark (make bench, and its smoke in CI).
PKGS="$PKGS wrk time"
[ -n "${WITH_BROWSER:-}" ] && PKGS="$PKGS chromium fonts-noto-cjk"
# Node.js may come from elsewhere with npm bundled: Debian's npm would conflict.
[ -n "${WITH_BROWSER:-}" ] && ! command -v node >/dev/null 2>&1 && PKGS="$PKGS nodejs npm"
[ -n "${WITH_FUZZ:-}" ] && PKGS="$PKGS clang libclang-rt-14-dev"
[ -n "${COVERAGE:-}" ] && PKGS="$PKGS gcovr"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "jinzai needs these packages. Please run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# The tests start their own nginx: Debian's service is not left running or enabled.
case " $missing " in
*" nginx "*)
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/nginx ]; then
    /etc/init.d/nginx stop >/dev/null 2>&1 || true
  fi
  ;;
esac
