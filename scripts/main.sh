#!/usr/bin/env bash
# The main job: installs missing tools, builds Spindle, cross-compiles the demo program and runs it
# on Spindle's emulated RISC-V machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/deps.sh
mkdir -p out/user
riscv64-linux-gnu-gcc -static -O2 -o out/user/hello user/demo/hello.c -lm
echo "\$ ./spindle run --stats out/user/hello one two" >&2
./spindle run --stats out/user/hello one two
