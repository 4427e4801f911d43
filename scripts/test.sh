#!/usr/bin/env bash
# Runs every test: installs missing tools, builds, runs all test projects.
# Ends with one summary line "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/deps.sh || exit 1
bash scripts/userland.sh || exit 1
dotnet build Spindle.sln -c Release -nologo -v quiet || exit 1
results="$root/out/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
for proj in tests/*/*.csproj; do
  name="$(basename "$proj" .csproj)"
  echo "== $name"
  # A test that runs 10 minutes is a hang: the host is stopped and the test named, so CI ends with a reason.
  dotnet test "$proj" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 10m --blame-hang-dump-type none "$@" || status=1
done
python3 - "$results" <<'PY' || true
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for t in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(t).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
exit $status
