#!/usr/bin/env bash
# What the agent's network-namespace tests need: root, iproute2, python3 (chroot of a fake
# target) and iptables. iptables is not on this machine kind's image, so it is installed
# here from Debian's packages when missing. Fails with one line naming what is missing.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "agent netns tests: they create network namespaces and iptables rules, so they must run as root." >&2
  exit 1
fi
if ! command -v iptables >/dev/null 2>&1 || ! command -v iptables-save >/dev/null 2>&1; then
  echo "agent netns tests: installing iptables" >&2
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3 4 5; do
    # Another apt run (a concurrent setup) may hold the lock for a while.
    if { apt-get update -qq && apt-get install -y -qq iptables; } >/dev/null 2>&1; then break; fi
    sleep 10
  done
fi
for tool in ip iptables iptables-save python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "agent netns tests: $tool is missing and could not be installed." >&2; exit 1; }
done
