#!/bin/sh
# build.sh OUT: cross-compiles the Spindle userland into OUT laid out as the root of `spindle boot`:
#   OUT/sbin/init, OUT/bin/{sh,ls,cat,...}, OUT/etc/motd, OUT/tmp/.
# Each program is rebuilt only when its source or a header is newer than it. CC overrides the compiler.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT}
cc=${CC:-riscv64-linux-gnu-gcc}
command -v "$cc" >/dev/null 2>&1 || { echo "build.sh: $cc is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
mkdir -p "$out/bin" "$out/sbin" "$out/etc" "$out/tmp"
newest_header=$(ls -t "$here"/include/*.h | head -n 1)
for dir in bin sbin; do
    for src in "$here/$dir"/*.c; do
        exe="$out/$dir/$(basename "$src" .c)"
        if [ ! -e "$exe" ] || [ "$src" -nt "$exe" ] || [ "$newest_header" -nt "$exe" ]; then
            "$cc" -static -O2 -Wall -I"$here/include" -o "$exe.tmp" "$src"
            mv "$exe.tmp" "$exe"
        fi
    done
done
printf 'Spindle: SPIN rebuilt in C#. Type commands; exit ends the boot.\n' > "$out/etc/motd"
