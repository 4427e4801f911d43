#!/bin/sh
# busybox-testsuite.sh RUNNER DIR [APPLET...]: runs busybox's own test suite (testsuite/runtest of the
# source scripts/userland.sh unpacked) against the riscv64 busybox under RUNNER, in DIR (made afresh).
#   RUNNER   qemu: each applet runs as `qemu-riscv64 busybox APPLET ARGS`
#            spindle: each applet runs as `spindle run busybox APPLET ARGS` ($SPINDLE_DLL, default
#            out/cli/spindle.dll, started with dotnet)
# The suite's shell scripts run on the host (/bin/sh); runtest finds $bindir/busybox, which here is a
# host script handing the applet (its own name, as runtest links every applet to it) to RUNNER. Applets
# that busybox itself executes (find -exec, xargs, sh -c) re-execute busybox through /proc/self/exe,
# which neither runner can follow into a host script: such tests fail under both alike.
# Writes DIR/result.txt (runtest's output: PASS:/FAIL:/SKIPPED:/UNTESTED: lines) and prints the counts.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
runner=${1:?usage: busybox-testsuite.sh qemu|spindle DIR [APPLET...]}
dir=${2:?usage: busybox-testsuite.sh qemu|spindle DIR [APPLET...]}
shift 2
busybox="$root/out/userland/busybox/busybox"
src="$root/out/userland/busybox/src"
[ -x "$busybox" ] || { echo "busybox-testsuite: $busybox is missing (run scripts/userland.sh)" >&2; exit 1; }
case "$runner" in
  qemu) run="'$(command -v qemu-riscv64)'" ;;
  spindle) run="'$(command -v dotnet)' '${SPINDLE_DLL:-$root/out/cli/spindle.dll}' run" ;;
  *) echo "busybox-testsuite: RUNNER is qemu or spindle, not '$runner'" >&2; exit 2 ;;
esac

rm -rf "$dir"; mkdir -p "$dir/bin" "$dir/scripts"
cp -r "$src/testsuite" "$dir/testsuite"
cp "$src/scripts/echo.c" "$dir/scripts/" # testing.sh builds an echo that knows -n -e when sh's does not
cp "$root/user/busybox/config" "$dir/bin/.config"
# SIGPIPE at its default action: a caller (a .NET test host) may ignore it, and that would be inherited.
cat > "$dir/bin/busybox" <<EOF
#!/bin/sh
a=\${0##*/}
[ "\$a" = busybox ] && exec /usr/bin/env --default-signal=PIPE $run '$busybox' "\$@"
exec /usr/bin/env --default-signal=PIPE $run '$busybox' "\$a" "\$@"
EOF
chmod +x "$dir/bin/busybox"
(cd "$dir/testsuite" && bindir="$dir/bin" sh runtest "$@" >"$dir/result.txt" 2>&1) || true
for k in PASS FAIL SKIPPED UNTESTED; do printf '%s %s\n' "$k" "$(grep -c "^$k:" "$dir/result.txt" || true)"; done
