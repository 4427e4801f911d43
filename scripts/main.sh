#!/usr/bin/env bash
# The main job: installs missing tools, builds busybox from Debian's sources (scripts/userland.sh,
# cached), builds Spindle, boots the whole system (kernel, the Linux personality compiled and checked as
# an extension, /sbin/init and busybox ash from an in-memory root) and feeds the shell a short script;
# then runs one program the qemu-user way.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/deps.sh
bash scripts/userland.sh
script='echo Spindle booted: busybox ash on the emulated RISC-V machine
ls /bin | wc -l
echo hi | tr a-z A-Z
ps
cd /tmp
echo written in memory > note.txt
cat < note.txt
exit'
echo "\$ printf '...' | ./spindle boot" >&2
printf '%s\n' "$script" | ./spindle boot

mkdir -p out/user
riscv64-linux-gnu-gcc -static -O2 -o out/user/hello user/demo/hello.c -lm
echo "\$ ./spindle run --stats out/user/hello one two" >&2
./spindle run --stats out/user/hello one two
