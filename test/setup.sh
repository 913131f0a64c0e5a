#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine, and nothing that is already there. Idempotent.
#   docker.io       the engine (the e2e suite starts it; only the client ships with these machines)
#   nginx-light     `nginx -t` over every rendered nginx.conf, and the binary the test image is built from
#   busybox-static  wget + sh inside the test images (the rendered healthchecks run `wget`)
#   shellcheck      lints the rendered prepare-hosts.sh (and, through actionlint, the workflows' scripts)
#   python3-venv    the virtual environment .github/zizmor.sh installs the pinned zizmor into
#   curl            inside the test images (the rendered healthchecks); here, before the e2e and staging projects
#                   run side by side and would both ask apt for it
set -euo pipefail

packages=(docker.io nginx-light busybox-static shellcheck util-linux python3-venv curl)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: Debian packages present (${packages[*]})"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
