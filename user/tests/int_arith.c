/* Integer arithmetic edge cases: wrapping overflow, the overflow builtins, mulh variants through
 * __int128 (checked against a 32-bit schoolbook product), shifts by large variable amounts (the
 * hardware masks the amount), and bit counting against naive loops. */
#include <stdint.h>
#include <limits.h>
#include "check.h"

#define ASM2(op, a, b) ({ long _r; __asm__ volatile(op " %0,%1,%2" : "=r"(_r) : "r"(a), "r"(b)); _r; })

/* Unsigned 64x64 -> high 64 by 32-bit halves: the independent reference for mulhu. */
static uint64_t ref_mulhu(uint64_t a, uint64_t b)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static int ref_popcount(uint64_t x) { int n = 0; while (x) { n += x & 1; x >>= 1; } return n; }
static int ref_clz(uint64_t x) { int n = 0; for (uint64_t m = 1ull << 63; m && !(x & m); m >>= 1) n++; return n; }
static int ref_ctz(uint64_t x) { int n = 0; for (uint64_t m = 1; m && !(x & m); m <<= 1) n++; return n; }

static volatile int32_t i32max = INT32_MAX;
static volatile uint32_t u32max = UINT32_MAX;
static volatile int64_t i64max = INT64_MAX;
static volatile uint64_t u64max = UINT64_MAX;

int main(void)
{
    /* Wrapping: unsigned arithmetic wraps, addw/subw/mulw sign-extend the low 32 bits. */
    check_u64("u32 max+1", (uint32_t)(u32max + 1u), 0);
    check_u64("u64 max+1", u64max + 1, 0);
    check_u64("addw max+1", ASM2("addw", (long)i32max, 1L), 0xffffffff80000000ull);
    check_u64("subw min-1", ASM2("subw", (long)INT32_MIN, 1L), 0x7fffffff);
    check_u64("mulw ovf", ASM2("mulw", 0x12345678L, 0x9abcdefL), (uint64_t)(int64_t)(int32_t)(0x12345678u * 0x9abcdefu));
    int32_t r32; int64_t r64;
    check_u64("add_overflow i32", __builtin_add_overflow(i32max, 1, &r32), 1);
    check_u64("add_overflow i32 result", (uint32_t)r32, 0x80000000u);
    check_u64("mul_overflow i64", __builtin_mul_overflow(i64max, 2, &r64), 1);
    check_u64("sub_overflow i64", __builtin_sub_overflow((int64_t)-2, i64max, &r64), 1);
    check_u64("sub_overflow i64 result", (uint64_t)r64, 0x7fffffffffffffffull);
    uint64_t u64r;
    check_u64("umul_overflow", __builtin_mul_overflow(u64max, (uint64_t)3, &u64r), 1);

    /* mulh, mulhu, mulhsu. */
    check_u64("mulh -1*-1", ASM2("mulh", -1L, -1L), 0);
    check_u64("mulhu max*max", ASM2("mulhu", -1L, -1L), 0xfffffffffffffffeull);
    check_u64("mulhsu -1*max", ASM2("mulhsu", -1L, -1L), (uint64_t)-1);
    check_u64("mulh min*min", ASM2("mulh", INT64_MIN, INT64_MIN), 0x4000000000000000ull);
    check_u64("mulhsu min*max", ASM2("mulhsu", INT64_MIN, -1L), 0x8000000000000000ull);
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t a = rng_next(), b = rng_next();
        uint64_t hu = (uint64_t)(((unsigned __int128)a * b) >> 64);
        int64_t hs = (int64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
        int64_t hsu = (int64_t)(((__int128)(int64_t)a * (unsigned __int128)b) >> 64);
        uint64_t ref = ref_mulhu(a, b);
        /* signed high = unsigned high - (a<0 ? b : 0) - (b<0 ? a : 0) */
        uint64_t refs = ref - ((int64_t)a < 0 ? b : 0) - ((int64_t)b < 0 ? a : 0);
        uint64_t refsu = ref - ((int64_t)a < 0 ? b : 0);
        if (hu != ref || (uint64_t)hs != refs || (uint64_t)hsu != refsu) bad++;
        if ((uint64_t)ASM2("mulhsu", a, b) != refsu) bad++;
    }
    check_u64("mulh family failures", bad, 0);

    /* Shifts by amounts >= the width: the hardware uses only the low 6 (or 5 for *w) bits. */
    volatile long x = 0x8000000000000123L;
    long amounts[] = { 0, 1, 31, 32, 33, 63, 64, 65, 127, 128, -1, -63 };
    uint64_t acc = 0;
    for (unsigned i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        long s = amounts[i];
        long sll = ASM2("sll", x, s), srl = ASM2("srl", x, s), sra = ASM2("sra", x, s);
        long sllw = ASM2("sllw", x, s), srlw = ASM2("srlw", x, s), sraw = ASM2("sraw", x, s);
        printf("shift %4ld: %016lx %016lx %016lx %016lx %016lx %016lx\n", s, sll, srl, sra, sllw, srlw, sraw);
        if ((uint64_t)sll != (uint64_t)x << (s & 63)) bad++;
        if ((uint64_t)sra != (uint64_t)(x >> (s & 63))) bad++;
        if ((uint64_t)sllw != (uint64_t)(int64_t)(int32_t)((uint32_t)x << (s & 31))) bad++;
        if ((uint64_t)sraw != (uint64_t)(int64_t)((int32_t)(uint32_t)x >> (s & 31))) bad++;
        acc += (uint64_t)srl ^ (uint64_t)srlw;
    }
    check_u64("shift failures", bad, 0);
    printf("shift checksum %llx\n", (unsigned long long)acc);

    /* Bit counting against naive loops. */
    uint64_t pc = 0, lz = 0, tz = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t v = rng_next() >> (i & 63);
        if (v == 0) v = 1;
        int p = __builtin_popcountll(v), l = __builtin_clzll(v), t = __builtin_ctzll(v);
        if (p != ref_popcount(v) || l != ref_clz(v) || t != ref_ctz(v)) bad++;
        if (__builtin_popcount((uint32_t)v) != ref_popcount((uint32_t)v)) bad++;
        pc += p; lz += l; tz += t;
    }
    check_u64("bitcount failures", bad, 0);
    printf("popcount %llu clz %llu ctz %llu\n", (unsigned long long)pc, (unsigned long long)lz, (unsigned long long)tz);
    return check_done("int_arith");
}
