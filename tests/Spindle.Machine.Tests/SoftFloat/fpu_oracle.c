/*
 * fpu_oracle: reference results for the SoftFloat tests, computed by real RISC-V F/D instructions
 * (run under qemu-riscv64). Reads lines "op rm a b c" (op an instruction mnemonic, rm 0..4, operands
 * as hex bits) and prints "result fflags" in hex, one line per input line. Integer results are the
 * full 64-bit destination register (32-bit results sign-extended, as RV64 writes them).
 * Build: riscv64-linux-gnu-gcc -static -O2 -o fpu_oracle fpu_oracle.c
 */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

typedef uint64_t u64;

/* The rounding mode is a static field of the instruction, so each op has one asm per mode. */
#define SW(M, ...) switch (rm) { \
    case 0: M("rne", __VA_ARGS__); break; case 1: M("rtz", __VA_ARGS__); break; \
    case 2: M("rdn", __VA_ARGS__); break; case 3: M("rup", __VA_ARGS__); break; \
    default: M("rmm", __VA_ARGS__); break; }
#define FFF(m, insn, R, X, Y) asm volatile(insn " %0,%1,%2," m : "=f"(R) : "f"(X), "f"(Y))
#define FFFF(m, insn, R, X, Y, Z) asm volatile(insn " %0,%1,%2,%3," m : "=f"(R) : "f"(X), "f"(Y), "f"(Z))
#define FF(m, insn, R, X) asm volatile(insn " %0,%1," m : "=f"(R) : "f"(X))
#define RF(m, insn, R, X) asm volatile(insn " %0,%1," m : "=r"(R) : "f"(X))
#define FR(m, insn, R, X) asm volatile(insn " %0,%1," m : "=f"(R) : "r"(X))

static u64 flags;

/* Runs one instruction on raw operand bits; sets `flags` to the fflags it raised. */
static u64 run(const char *op, int rm, u64 a, u64 b, u64 c)
{
    float xs, ys, zs, rs;
    double xd, yd, zd, rd;
    u64 r = 0;
    /* Result kind: the letter after "fcvt." for conversions, else the mnemonic's last letter. */
    char rf = !strncmp(op, "fcvt.", 5) ? op[5] : op[strlen(op) - 1];

    asm volatile("fmv.w.x %0,%1" : "=f"(xs) : "r"(a));
    asm volatile("fmv.w.x %0,%1" : "=f"(ys) : "r"(b));
    asm volatile("fmv.w.x %0,%1" : "=f"(zs) : "r"(c));
    asm volatile("fmv.d.x %0,%1" : "=f"(xd) : "r"(a));
    asm volatile("fmv.d.x %0,%1" : "=f"(yd) : "r"(b));
    asm volatile("fmv.d.x %0,%1" : "=f"(zd) : "r"(c));
    asm volatile("fsflags x0");

#define IS(name) !strcmp(op, name)
    if (IS("fadd.s")) SW(FFF, "fadd.s", rs, xs, ys)
    else if (IS("fsub.s")) SW(FFF, "fsub.s", rs, xs, ys)
    else if (IS("fmul.s")) SW(FFF, "fmul.s", rs, xs, ys)
    else if (IS("fdiv.s")) SW(FFF, "fdiv.s", rs, xs, ys)
    else if (IS("fsqrt.s")) SW(FF, "fsqrt.s", rs, xs)
    else if (IS("fmadd.s")) SW(FFFF, "fmadd.s", rs, xs, ys, zs)
    else if (IS("fmsub.s")) SW(FFFF, "fmsub.s", rs, xs, ys, zs)
    else if (IS("fnmsub.s")) SW(FFFF, "fnmsub.s", rs, xs, ys, zs)
    else if (IS("fnmadd.s")) SW(FFFF, "fnmadd.s", rs, xs, ys, zs)
    else if (IS("fmin.s")) asm volatile("fmin.s %0,%1,%2" : "=f"(rs) : "f"(xs), "f"(ys));
    else if (IS("fmax.s")) asm volatile("fmax.s %0,%1,%2" : "=f"(rs) : "f"(xs), "f"(ys));
    else if (IS("feq.s")) asm volatile("feq.s %0,%1,%2" : "=r"(r) : "f"(xs), "f"(ys));
    else if (IS("flt.s")) asm volatile("flt.s %0,%1,%2" : "=r"(r) : "f"(xs), "f"(ys));
    else if (IS("fle.s")) asm volatile("fle.s %0,%1,%2" : "=r"(r) : "f"(xs), "f"(ys));
    else if (IS("fclass.s")) asm volatile("fclass.s %0,%1" : "=r"(r) : "f"(xs));
    else if (IS("fcvt.w.s")) SW(RF, "fcvt.w.s", r, xs)
    else if (IS("fcvt.wu.s")) SW(RF, "fcvt.wu.s", r, xs)
    else if (IS("fcvt.l.s")) SW(RF, "fcvt.l.s", r, xs)
    else if (IS("fcvt.lu.s")) SW(RF, "fcvt.lu.s", r, xs)
    else if (IS("fcvt.s.w")) SW(FR, "fcvt.s.w", rs, a)
    else if (IS("fcvt.s.wu")) SW(FR, "fcvt.s.wu", rs, a)
    else if (IS("fcvt.s.l")) SW(FR, "fcvt.s.l", rs, a)
    else if (IS("fcvt.s.lu")) SW(FR, "fcvt.s.lu", rs, a)
    else if (IS("fcvt.s.d")) SW(FF, "fcvt.s.d", rs, xd)
    else if (IS("fadd.d")) SW(FFF, "fadd.d", rd, xd, yd)
    else if (IS("fsub.d")) SW(FFF, "fsub.d", rd, xd, yd)
    else if (IS("fmul.d")) SW(FFF, "fmul.d", rd, xd, yd)
    else if (IS("fdiv.d")) SW(FFF, "fdiv.d", rd, xd, yd)
    else if (IS("fsqrt.d")) SW(FF, "fsqrt.d", rd, xd)
    else if (IS("fmadd.d")) SW(FFFF, "fmadd.d", rd, xd, yd, zd)
    else if (IS("fmsub.d")) SW(FFFF, "fmsub.d", rd, xd, yd, zd)
    else if (IS("fnmsub.d")) SW(FFFF, "fnmsub.d", rd, xd, yd, zd)
    else if (IS("fnmadd.d")) SW(FFFF, "fnmadd.d", rd, xd, yd, zd)
    else if (IS("fmin.d")) asm volatile("fmin.d %0,%1,%2" : "=f"(rd) : "f"(xd), "f"(yd));
    else if (IS("fmax.d")) asm volatile("fmax.d %0,%1,%2" : "=f"(rd) : "f"(xd), "f"(yd));
    else if (IS("feq.d")) asm volatile("feq.d %0,%1,%2" : "=r"(r) : "f"(xd), "f"(yd));
    else if (IS("flt.d")) asm volatile("flt.d %0,%1,%2" : "=r"(r) : "f"(xd), "f"(yd));
    else if (IS("fle.d")) asm volatile("fle.d %0,%1,%2" : "=r"(r) : "f"(xd), "f"(yd));
    else if (IS("fclass.d")) asm volatile("fclass.d %0,%1" : "=r"(r) : "f"(xd));
    else if (IS("fcvt.w.d")) SW(RF, "fcvt.w.d", r, xd)
    else if (IS("fcvt.wu.d")) SW(RF, "fcvt.wu.d", r, xd)
    else if (IS("fcvt.l.d")) SW(RF, "fcvt.l.d", r, xd)
    else if (IS("fcvt.lu.d")) SW(RF, "fcvt.lu.d", r, xd)
    else if (IS("fcvt.d.w")) asm volatile("fcvt.d.w %0,%1" : "=f"(rd) : "r"(a));
    else if (IS("fcvt.d.wu")) asm volatile("fcvt.d.wu %0,%1" : "=f"(rd) : "r"(a));
    else if (IS("fcvt.d.l")) SW(FR, "fcvt.d.l", rd, a)
    else if (IS("fcvt.d.lu")) SW(FR, "fcvt.d.lu", rd, a)
    else if (IS("fcvt.d.s")) asm volatile("fcvt.d.s %0,%1" : "=f"(rd) : "f"(xs));
    else { flags = ~0ull; return 0; }

    asm volatile("frflags %0" : "=r"(flags));
    if (!strncmp(op, "feq", 3) || !strncmp(op, "flt", 3) || !strncmp(op, "fle", 3)
        || !strncmp(op, "fclass", 6) || rf == 'w' || rf == 'l')
        return r;                                   /* integer result */
    if (rf == 'd') asm volatile("fmv.x.d %0,%1" : "=r"(r) : "f"(rd));
    else asm volatile("fmv.x.w %0,%1" : "=r"(r) : "f"(rs));
    return r;
}

int main(void)
{
    char op[32];
    int rm;
    unsigned long long a, b, c;
    while (scanf("%31s %d %llx %llx %llx", op, &rm, &a, &b, &c) == 5) {
        u64 r = run(op, rm, a, b, c);
        printf("%llx %llx\n", (unsigned long long)r, (unsigned long long)flags);
    }
    return 0;
}
