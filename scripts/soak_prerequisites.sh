#!/usr/bin/env bash
# `make soak` needs nginx (the reverse proxy in front of the two app servers) and openssl (its
# certificate for loopback). Installed from Debian when running as root, or the exact command
# is printed. nginx is only run with the soak's own configuration on loopback ports; the
# package's own service is neither needed nor started by the soak.
set -euo pipefail

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
  echo "soak: installing ${missing[*]} (apt-get install)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
printf '\nsoak: %s missing. Install with:\n\n    %sapt-get install -y %s\n\n' \
  "${missing[*]} is" "$([ "$(id -u)" -eq 0 ] || printf 'sudo ')" "${missing[*]}" >&2
exit 1
