#!/usr/bin/env bash
# userland.sh: builds the userland that Spindle boots and tests against, from Debian's source packages.
#   out/userland/busybox/busybox   busybox, static, riscv64, configured by user/busybox/config
#   out/userland/busybox/busybox.links   where each applet is installed (/bin/ls, /usr/bin/awk, ...)
#   out/userland/busybox/src       its Debian source tree (its testsuite/ is run by the system tests)
#   out/userland/lua/lua           the Lua 5.4 interpreter (lua5.4), static, riscv64
#   out/userland/zlib/minigzip     zlib's minigzip (zlib), static, riscv64
# Each is built once and cached: rebuilt only when its configuration, the functions of this script that build it or
# its source version change (out/userland/PACKAGE/stamp records them). The source comes from `apt-get source`; when apt knows
# no source packages, a deb-src entry is added beside the machine's own entries, with the same URIs,
# suites and components (derived here at run time: no host name is written into the repository).
# Needs root (or sudo) only for that entry and `apt-get update`. Prints the build's time to stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/out/userland/busybox"
config="$root/user/busybox/config"
cross=riscv64-linux-gnu-
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo

# The deb-src twin of every enabled deb entry: deb822 stanzas with "Types: deb" and one-line "deb ..."
# entries. Written to stdout; empty when the machine has none.
deb_src_entries() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /(^|\n)Types:[^\n]*[ \t]deb([ \t]|\n|$)/ && !/(^|\n)Enabled:[ \t]*no/ {
           sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n 's/^[ \t]*deb\([ \t]\)/deb-src\1/p' "$f"
  done
}

# The source version apt knows of package $1 (the first it lists), or nothing.
source_version() { apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1; }

ensure_source_index() {
  [ -n "$(source_version busybox)" ] && return 0
  local list=/etc/apt/sources.list.d/spindle-deb-src.sources
  if [ ! -e "$list" ]; then
    local entries; entries="$(deb_src_entries)"
    [ -n "$entries" ] || { echo "userland: no deb entries in the machine's apt sources to derive deb-src from" >&2; exit 1; }
    printf '# Added by Spindle scripts/userland.sh: source twins of this machine'"'"'s deb entries.\n%s\n' "$entries" \
      | $sudo tee "$list" >/dev/null
  fi
  echo "userland: apt-get update (source indexes)" >&2
  $sudo apt-get update -qq
  [ -n "$(source_version busybox)" ] || { echo "userland: apt knows no busybox source package" >&2; exit 1; }
}

# fetch_source PACKAGE VERSION DIR: DIR/src is PACKAGE's Debian source tree at VERSION (patches applied), unpacked
# once per version.
fetch_source() {
  local package=$1 version=$2 dir=$3
  [ "$(cat "$dir/src/.spindle-version" 2>/dev/null)" = "$version" ] && return 0
  rm -rf "$dir/src" "$dir/fetch"; mkdir -p "$dir/fetch"
  echo "userland: apt-get source $package=$version" >&2
  # As root, apt's download sandbox user could not write into out/; the download runs as root.
  local sandbox=(); [ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
  (cd "$dir/fetch" && apt-get source -qq "${sandbox[@]}" "$package=$version" >/dev/null)
  local tree; tree="$(find "$dir/fetch" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
  [ -n "$tree" ] || { echo "userland: apt-get source $package unpacked nothing" >&2; exit 1; }
  mv "$tree" "$dir/src"; rm -rf "$dir/fetch"
  echo "$version" > "$dir/src/.spindle-version"
}

# recipe FUNCTION... [-- FILE...]: a hash of the functions' text and the files' contents (a package's build recipe).
recipe() {
  local functions=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do functions+=("$1"); shift; done
  [ $# -eq 0 ] || shift
  { declare -f fetch_source cross_build "${functions[@]}"; [ $# -eq 0 ] || cat "$@"; } | sha256sum | cut -c1-16
}

# up_to_date DIR PRODUCT STAMP: true if DIR/PRODUCT exists and DIR/stamp is STAMP.
up_to_date() { [ -x "$1/$2" ] && [ "$(cat "$1/stamp" 2>/dev/null)" = "$3" ]; }

ensure_source_index
jobs=$(nproc)

build_busybox() {
  local version stamp start build
  version="$(source_version busybox)"
  stamp="$version $(recipe build_busybox -- "$config")"
  up_to_date "$out" busybox "$stamp" && return 0
  start=$(date +%s)
  fetch_source busybox "$version" "$out"
  # Out of tree, so the source stays as apt unpacked it (the test suite runs from it).
  build="$out/build"
  rm -rf "$build"; mkdir -p "$build"
  cp "$config" "$build/.config"
  # Options the configuration does not name (a newer source) take their defaults.
  { yes '' || true; } | make -s -C "$out/src" O="$build" ARCH=riscv CROSS_COMPILE="$cross" oldconfig >/dev/null
  make -s -C "$build" ARCH=riscv CROSS_COMPILE="$cross" -j"$jobs" busybox busybox.links >"$out/build.log" 2>&1 \
    || { tail -n 40 "$out/build.log" >&2; echo "userland: busybox build failed (log: $out/build.log)" >&2; exit 1; }
  cp "$build/busybox.links" "$out/busybox.links"
  cp "$build/busybox" "$out/busybox.tmp" && mv "$out/busybox.tmp" "$out/busybox"
  rm -rf "$build"
  echo "$stamp" > "$out/stamp"
  echo "userland: busybox $version built in $(( $(date +%s) - start ))s" >&2
}

# cross_build DIR PRODUCT SOURCES... -- FLAGS...: compiles the C files (relative to DIR/src) into DIR/PRODUCT, static
# riscv64 -O2 (FLAGS after the sources, so that libraries link), the compiler's output in DIR/build.log.
cross_build() {
  local dir=$1 product=$2; shift 2
  local sources=()
  while [ "$1" != -- ]; do sources+=("$1"); shift; done; shift
  (cd "$dir/src" && "${cross}gcc" -static -O2 -o "$dir/$product.tmp" "${sources[@]}" "$@") >"$dir/build.log" 2>&1 \
    || { tail -n 40 "$dir/build.log" >&2; echo "userland: $product build failed (log: $dir/build.log)" >&2; exit 1; }
  mv "$dir/$product.tmp" "$dir/$product"
}

# begin PACKAGE DIR PRODUCT FUNCTION...: false if DIR/PRODUCT is up to date with PACKAGE's source version and the
# recipe of the FUNCTIONs; else fetches the source into DIR/src. Sets the caller's version, stamp and start for finish.
begin() {
  local package=$1 dir=$2 product=$3; shift 3
  version="$(source_version "$package")"
  [ -n "$version" ] || { echo "userland: apt knows no $package source package" >&2; exit 1; }
  stamp="$version $(recipe begin finish "$@")"
  up_to_date "$dir" "$product" "$stamp" && return 1
  start=$(date +%s)
  fetch_source "$package" "$version" "$dir"
}

# finish DIR WHAT: records the stamp begin set and says how long building WHAT took.
finish() {
  echo "$stamp" > "$1/stamp"
  echo "userland: $2 $version built in $(( $(date +%s) - start ))s" >&2
}

# Lua 5.4 (Debian's lua5.4, its patches applied): the interpreter alone, built as upstream's `make posix` would
# (Debian's libtool build makes a shared library; the tests want one static program). Debian's luaconf.h includes a
# header its rules write with the multiarch name; it is written here into the build folder.
build_lua() {
  local dir="$root/out/userland/lua" version stamp start
  begin lua5.4 "$dir" lua build_lua || return 0
  mkdir -p "$dir/include"
  printf '#ifndef _LUA_DEB_MULTIARCH_\n#define _LUA_DEB_MULTIARCH_\n#define DEB_HOST_MULTIARCH "riscv64-linux-gnu"\n#endif\n' \
    > "$dir/include/lua5.4-deb-multiarch.h"
  local sources; sources=$(cd "$dir/src/src" && ls ./*.c | grep -v luac.c | sed 's|^\./|src/|')
  # shellcheck disable=SC2086 # one word per source file
  cross_build "$dir" lua $sources -- -std=gnu99 -DLUA_USE_POSIX -I"$dir/include" -lm
  finish "$dir" lua
}

# zlib (Debian's zlib): the library's sources and its test/minigzip.c, which gzips or (-d) gunzips a file or stdin.
build_zlib() {
  local dir="$root/out/userland/zlib" version stamp start
  begin zlib "$dir" minigzip build_zlib || return 0
  cross_build "$dir" minigzip test/minigzip.c adler32.c compress.c crc32.c deflate.c gzclose.c gzlib.c gzread.c gzwrite.c \
    infback.c inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c -- -I. -DHAVE_UNISTD_H
  finish "$dir" "zlib (minigzip)"
}

build_busybox
build_lua
build_zlib
