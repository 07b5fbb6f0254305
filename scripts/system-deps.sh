#!/usr/bin/env bash
# Make sure the Debian packages the test suite drives are present: PostgreSQL and Redis
# servers (started throw-away by the tests), Chromium (browser tests), gettext
# (compiled translations), nginx and openssl (the production-parity suite's TLS proxy),
# poppler-utils (pdftoppm: tests render printed PDFs to read their QR codes back);
# `make bench` also asks for wrk, its load generator.
# Installs them when run as root; otherwise fails loudly
# with the command to run. Arguments: a subset of the packages to check.
set -euo pipefail

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(postgresql redis-server chromium gettext nginx openssl poppler-utils)

have() {
	case "$1" in
		postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null ;;
		redis-server) command -v redis-server >/dev/null ;;
		chromium) [ -x /usr/bin/chromium ] ;;
		gettext) command -v msgfmt >/dev/null ;;
		nginx) command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] ;;
		openssl) command -v openssl >/dev/null ;;
		poppler-utils) command -v pdftoppm >/dev/null ;;
		wrk) command -v wrk >/dev/null ;;
		*) dpkg -s "$1" >/dev/null 2>&1 ;;
	esac
}

missing=()
for pkg in "${want[@]}"; do have "$pkg" || missing+=("$pkg"); done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Missing system packages: ${missing[*]}" >&2
	echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
for pkg in "${missing[@]}"; do
	have "$pkg" || { echo "Installing $pkg did not provide what the tests need." >&2; exit 1; }
done
