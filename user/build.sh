#!/bin/sh
# build.sh OUT [BUSYBOX]: cross-compiles the Spindle userland into OUT laid out as the root of `spindle boot`:
#   OUT/sbin/init, OUT/bin/{sh,ls,cat,...}, OUT/etc/motd, OUT/tmp/.
# Each program is rebuilt only when its source or a header is newer than it. CC overrides the compiler.
# With BUSYBOX (scripts/userland.sh's out/userland/busybox/busybox, busybox.links beside it) the root is
# busybox's: OUT/bin/busybox, a symbolic link to it for each applet where busybox.links puts it (/bin,
# /sbin, /usr/bin, /usr/sbin), /etc from busybox/etc, and of our programs only those busybox has no
# applet for (init stays pid 1: it ends the boot with the shell's status). Use a separate OUT for each kind.
# A root for RISC-V (CC targets riscv64) also carries the cross libc's dynamic loader and shared libraries in
# OUT/lib (where the loader's PT_INTERP path and its default search path lead), so that dynamically linked programs
# run in `spindle boot` too; every root has OUT/bin/hello-dynamic, the demo linked dynamically.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT [BUSYBOX]}
busybox=${2:-}
cc=${CC:-riscv64-linux-gnu-gcc}
command -v "$cc" >/dev/null 2>&1 || { echo "build.sh: $cc is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
mkdir -p "$out/bin" "$out/sbin" "$out/etc" "$out/tmp"
newest_header=$(ls -t "$here"/include/*.h | head -n 1)
if [ -n "$busybox" ]; then
    links="$(dirname "$busybox")/busybox.links"
    [ -f "$busybox" ] && [ -f "$links" ] || { echo "build.sh: $busybox or $links is missing (scripts/userland.sh builds them)" >&2; exit 1; }
    mkdir -p "$out/usr/bin" "$out/usr/sbin" "$out/root"
    if [ ! -e "$out/bin/busybox" ] || [ "$busybox" -nt "$out/bin/busybox" ]; then cp "$busybox" "$out/bin/busybox"; fi
    while read -r link; do
        [ "$link" = /sbin/init ] || [ "$link" = /linuxrc ] || [ -L "$out$link" ] || ln -s /bin/busybox "$out$link"
    done < "$links"
    cp "$here"/busybox/etc/* "$out/etc/"
fi
for dir in bin sbin; do
    for src in "$here/$dir"/*.c; do
        exe="$out/$dir/$(basename "$src" .c)"
        [ -L "$exe" ] && continue # busybox's applet
        if [ ! -e "$exe" ] || [ "$src" -nt "$exe" ] || [ "$newest_header" -nt "$exe" ]; then
            "$cc" -static -O2 -Wall -I"$here/include" -o "$exe.tmp" "$src"
            mv "$exe.tmp" "$exe"
        fi
    done
done
# The cross libc's shared objects (glibc's and libgcc_s; not libstdc++ or the sanitizers) beside the loader.
case "$("$cc" -dumpmachine)" in
riscv64*)
    mkdir -p "$out/lib"
    libdir=$(dirname "$("$cc" -print-file-name=libc.so.6)")
    for lib in ld-linux-riscv64-lp64d.so.1 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 \
               libutil.so.1 libanl.so.1 libgcc_s.so.1; do
        if [ -f "$libdir/$lib" ]; then cp -uL "$libdir/$lib" "$out/lib/$lib"; fi
    done
    ;;
esac
# The demo linked dynamically, in every root (a host root's is native, so that both roots list the same programs).
demo="$here/demo/hello.c"
if [ ! -e "$out/bin/hello-dynamic" ] || [ "$demo" -nt "$out/bin/hello-dynamic" ]; then
    "$cc" -O2 -Wall -o "$out/bin/hello-dynamic.tmp" "$demo" -lm
    mv "$out/bin/hello-dynamic.tmp" "$out/bin/hello-dynamic"
fi
printf 'Spindle: SPIN rebuilt in C#. Type commands; exit ends the boot.\n' > "$out/etc/motd"
