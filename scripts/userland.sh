#!/usr/bin/env bash
# userland.sh: builds the userland that Spindle boots and tests against, from Debian's source packages.
#   out/userland/busybox/busybox   busybox, static, riscv64, configured by user/busybox/config
#   out/userland/busybox/busybox.links   where each applet is installed (/bin/ls, /usr/bin/awk, ...)
#   out/userland/busybox/src       its Debian source tree (its testsuite/ is run by the system tests)
# Built once and cached: rebuilt only when the configuration, this script or the source version changes
# (out/userland/busybox/stamp records the three). The source comes from `apt-get source`; when apt knows
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

# The busybox source version apt knows, or nothing.
source_version() { apt-cache showsrc busybox 2>/dev/null | sed -n 's/^Version: //p' | head -n 1; }

ensure_source_index() {
  [ -n "$(source_version)" ] && return 0
  local list=/etc/apt/sources.list.d/spindle-deb-src.sources
  if [ ! -e "$list" ]; then
    local entries; entries="$(deb_src_entries)"
    [ -n "$entries" ] || { echo "userland: no deb entries in the machine's apt sources to derive deb-src from" >&2; exit 1; }
    printf '# Added by Spindle scripts/userland.sh: source twins of this machine'"'"'s deb entries.\n%s\n' "$entries" \
      | $sudo tee "$list" >/dev/null
  fi
  echo "userland: apt-get update (source indexes)" >&2
  $sudo apt-get update -qq
  [ -n "$(source_version)" ] || { echo "userland: apt knows no busybox source package" >&2; exit 1; }
}

ensure_source_index
version="$(source_version)"
stamp="$version $(cat "$config" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
if [ -x "$out/busybox" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

start=$(date +%s)
upstream="${version#*:}"; upstream="${upstream%-*}"
if [ "$(cat "$out/src/.spindle-version" 2>/dev/null)" != "$version" ]; then
  rm -rf "$out/src" "$out/fetch"; mkdir -p "$out/fetch"
  echo "userland: apt-get source busybox=$version" >&2
  # As root, apt's download sandbox user could not write into out/; the download runs as root.
  sandbox=(); [ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
  (cd "$out/fetch" && apt-get source -qq "${sandbox[@]}" "busybox=$version" >/dev/null)
  mv "$out/fetch/busybox-$upstream" "$out/src"; rm -rf "$out/fetch"
  echo "$version" > "$out/src/.spindle-version"
fi

# Out of tree, so the source stays as apt unpacked it (the test suite runs from it).
build="$out/build"
rm -rf "$build"; mkdir -p "$build"
cp "$config" "$build/.config"
jobs=$(nproc)
# Options the configuration does not name (a newer source) take their defaults.
{ yes '' || true; } | make -s -C "$out/src" O="$build" ARCH=riscv CROSS_COMPILE="$cross" oldconfig >/dev/null
make -s -C "$build" ARCH=riscv CROSS_COMPILE="$cross" -j"$jobs" busybox busybox.links >"$out/build.log" 2>&1 \
  || { tail -n 40 "$out/build.log" >&2; echo "userland: busybox build failed (log: $out/build.log)" >&2; exit 1; }
cp "$build/busybox.links" "$out/busybox.links"
cp "$build/busybox" "$out/busybox.tmp" && mv "$out/busybox.tmp" "$out/busybox"
rm -rf "$build"
echo "$stamp" > "$out/stamp"
echo "userland: busybox $version built in $(( $(date +%s) - start ))s" >&2
