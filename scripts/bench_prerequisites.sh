#!/usr/bin/env bash
# `make bench` drives the app servers with wrk, a load generator that keeps 16 connections busy
# from two threads at a cost the two-core machine can spare. Installed from Debian when running as
# root, or the exact command is printed.
set -euo pipefail

command -v wrk >/dev/null 2>&1 && exit 0

if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
  echo "bench: installing wrk (apt-get install)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null
  exit 0
fi
printf '\nbench: wrk is missing. Install with:\n\n    %sapt-get install -y wrk\n\n' \
  "$([ "$(id -u)" -eq 0 ] || printf 'sudo ')" >&2
exit 1
