#!/usr/bin/env bash
# MIPS benchmark: compiles user/bench/{coremark_like,sieve_sort}.c (or the programs named as arguments: NAME for
# user/bench/NAME.c, lua:SCRIPT for Debian's lua running user/lua/SCRIPT.lua, minigzip for zlib's minigzip compressing
# 2 MiB of the repository's docs; the last two built by scripts/userland.sh), runs each under Spindle
# (`spindle run --engine E --stats`, for each engine E in $ENGINES, default "interp jit") and under qemu-riscv64 in the
# same session, best of $RUNS (default 3) wall-clock runs each, checks that both print the same, and prints a table. The instruction count comes from
# Spindle's --stats line ("spindle: N instructions, S seconds, M MIPS"); qemu's MIPS is that same count
# divided by qemu's time. ratio = Spindle speed / qemu speed (1.0 = as fast as qemu).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${RUNS:-3}"
engines="${ENGINES:-interp jit}"
out="$root/out/bench"
mkdir -p "$out"
command -v riscv64-linux-gnu-gcc >/dev/null || { echo "run.sh: riscv64-linux-gnu-gcc missing (scripts/deps.sh)" >&2; exit 1; }
command -v qemu-riscv64 >/dev/null || { echo "run.sh: qemu-riscv64 missing (scripts/deps.sh)" >&2; exit 1; }

# The compute-bound programs; the other user/bench programs are `spindle bench` workloads that print timings.
if [ $# -gt 0 ]; then progs=("$@"); else progs=(coremark_like sieve_sort); fi

# now: seconds since the epoch with nanoseconds.
now() { date +%s.%N; }

# best_of CMD...: runs CMD $runs times; prints the shortest wall time in seconds and keeps that run's
# stdout and stderr in $out/best.out and $out/best.err. Fails if any run exits non-zero.
best_of() {
  local best="" t0 t1 t
  for _ in $(seq "$runs"); do
    t0=$(now)
    "$@" >"$out/last.out" 2>"$out/last.err" || { echo "run.sh: '$*' failed:" >&2; cat "$out/last.err" >&2; return 1; }
    t1=$(now)
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then
      best="$t"; cp "$out/last.out" "$out/best.out"; cp "$out/last.err" "$out/best.err"
    fi
  done
  echo "$best"
}

"$root/spindle" --help >/dev/null   # builds the CLI once, outside the timed runs
printf '%-16s %-7s %14s %10s %10s %10s %10s %10s %8s\n' program engine instructions spindle_s spindle_MIPS self_MIPS qemu_s qemu_MIPS ratio
for p in "${progs[@]}"; do
  args=()
  case "$p" in
  lua:*|minigzip)
    [ -x "$root/out/userland/lua/lua" ] && [ -x "$root/out/userland/zlib/minigzip" ] || bash "$root/scripts/userland.sh"
    if [ "$p" = minigzip ]; then
      exe="$root/out/userland/zlib/minigzip"
      (set +o pipefail; for _ in $(seq 40); do cat "$root"/docs/*.md; done | head -c $((2 << 20))) > "$out/minigzip.in"
      args=(-c "$out/minigzip.in")
    else
      exe="$root/out/userland/lua/lua"; args=("$root/user/lua/${p#lua:}.lua")
    fi
    ;;
  *)
    exe="$out/$p"
    riscv64-linux-gnu-gcc -static -O2 "$root/user/bench/$p.c" -o "$exe"
    ;;
  esac
  p="${p/:/-}"
  qs=$(best_of qemu-riscv64 "$exe" "${args[@]}"); cp "$out/best.out" "$out/$p.qemu.out"
  for e in $engines; do
    ss=$(best_of "$root/spindle" run --engine "$e" --stats "$exe" "${args[@]}"); cp "$out/best.out" "$out/$p.spindle.out"
    cmp -s "$out/$p.qemu.out" "$out/$p.spindle.out" || echo "run.sh: $p ($e): Spindle's output differs from qemu's" >&2
    stats=$(grep -E '^spindle: [0-9]+ instructions' "$out/best.err" | tail -1) \
      || { echo "run.sh: $p: no --stats line on stderr" >&2; exit 1; }
    n=$(sed -E 's/^spindle: ([0-9]+) instructions.*/\1/' <<<"$stats")
    self=$(sed -E 's/.* ([0-9.]+) MIPS.*/\1/' <<<"$stats")
    awk -v p="$p" -v e="$e" -v n="$n" -v ss="$ss" -v qs="$qs" -v self="$self" 'BEGIN {
      sm = n / ss / 1e6; qm = n / qs / 1e6;
      printf "%-16s %-7s %14.0f %10.3f %10.1f %10s %10.3f %10.1f %8.3f\n", p, e, n, ss, sm, self, qs, qm, sm / qm }'
    grep -E '^spindle: engine' "$out/best.err" | sed 's/^/  /' || true
  done
done
