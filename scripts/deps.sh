#!/usr/bin/env bash
# Installs what Spindle needs beyond the .NET SDK, only when it is missing:
# the RISC-V cross compiler and libc (to build user programs), qemu-user (the CPU's oracle), ping and python3
# (the Linux peer of the network tests), gdb-multiarch (the gdb stub's peer), ffmpeg (pictures and video), e2fsprogs (the storage tests' images), and what scripts/userland.sh
# needs to fetch and build Debian's busybox source (dpkg-source, make, bzip2, xz).
set -euo pipefail
need=()
command -v riscv64-linux-gnu-gcc >/dev/null || need+=(gcc-riscv64-linux-gnu)
[ -e /usr/riscv64-linux-gnu/lib/libc.a ] || need+=(libc6-dev-riscv64-cross)
command -v qemu-riscv64 >/dev/null || need+=(qemu-user)
command -v gcc >/dev/null || need+=(gcc)
command -v mke2fs >/dev/null || need+=(e2fsprogs)   # storage tests: images by mke2fs -d, checked by e2fsck and debugfs
command -v ping >/dev/null || need+=(iputils-ping)      # the network tests: Linux pings Spindle over TAP
command -v python3 >/dev/null || need+=(python3-minimal) # ... and sends it UDP datagrams
command -v gdb-multiarch >/dev/null || need+=(gdb-multiarch) # the gdb stub's tests drive the real gdb
command -v ffmpeg >/dev/null || need+=(ffmpeg)               # decodes the frame buffer's PNG; makes the test video
command -v curl >/dev/null || need+=(curl)                   # the web servers' peer
command -v make >/dev/null || need+=(make)
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
command -v bzip2 >/dev/null || need+=(bzip2)
command -v xz >/dev/null || need+=(xz-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
