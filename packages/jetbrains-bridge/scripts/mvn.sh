#!/bin/sh
# Runs Maven on kotlin/ the way the project's tests do: batch mode, quiet, with the local
# repository in a cache folder kept between runs (keyed by nothing but the project), after
# building core's IDE server bundle (dist/ide-server.js + build/ native files) the tests start.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${MIRRORD_TS_CACHE:-/var/cache/mirrord-ts}/m2
mkdir -p "$cache"
# Java 17 and Maven 3.8 come with this machine kind; a machine without them gets Debian's.
if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
fi
(cd "$here/../core" && node build.mjs)
cd "$here/kotlin"
status=0
# Reports older than this marker are left from earlier runs (e.g. the cluster tests e2e ran).
marker=$(mktemp)
mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$cache" "$@" || status=$?
# -q hides Surefire's summary on success: count this run's reports, so the run says what it ran.
tests=0; failed=0; skipped=0
for report in */target/surefire-reports/TEST-*.xml; do
  [ -f "$report" ] && [ "$report" -nt "$marker" ] || continue
  line=$(grep -m1 -o '<testsuite [^>]*>' "$report")
  n() { echo "$line" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  tests=$((tests + $(n tests))); failed=$((failed + $(n failures) + $(n errors))); skipped=$((skipped + $(n skipped)))
done
rm -f "$marker"
echo "jetbrains-bridge: $((tests - failed - skipped)) passed, $failed failed, $skipped skipped"
exit $status
