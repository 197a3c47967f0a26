#!/bin/sh
# Installs the Debian packages entente needs to build and test, only those missing.
set -e
need="libsvm-dev libutf8proc-dev libcunit1-dev libjansson-dev nettle-dev libstemmer-dev pkg-config parallel python3 python3-html5lib"
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "entente: installing build dependencies:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
