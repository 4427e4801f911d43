/* Integer division and remainder edge cases at every width, as the RISC-V M extension defines them:
 * x/0 = -1 (all ones), x%0 = x, MIN/-1 = MIN, MIN%-1 = 0. Both C operators on volatile operands and
 * the exact instructions via inline asm. */
#include <stdint.h>
#include <limits.h>
#include "check.h"

#define ASM2(op, a, b) ({ long _r; __asm__ volatile(op " %0,%1,%2" : "=r"(_r) : "r"(a), "r"(b)); _r; })

static volatile int8_t i8min = INT8_MIN, i8m1 = -1, i8z = 0, i8x = 100;
static volatile int16_t i16min = INT16_MIN, i16m1 = -1, i16z = 0, i16x = 30000;
static volatile int32_t i32min = INT32_MIN, i32m1 = -1, i32z = 0, i32x = 123456789;
static volatile uint32_t u32max = UINT32_MAX, u32z = 0, u32x = 3000000000u;
static volatile int64_t i64min = INT64_MIN, i64m1 = -1, i64z = 0, i64x = 0x123456789abcdefLL;
static volatile uint64_t u64max = UINT64_MAX, u64z = 0, u64x = 0xfedcba9876543210ull;

int main(void)
{
    /* 8 and 16 bits: C promotes to int, then truncates. */
    check_u64("i8 min/-1", (uint8_t)(int8_t)(i8min / i8m1), 0x80);
    check_u64("i8 min%-1", (uint8_t)(int8_t)(i8min % i8m1), 0);
    check_u64("i16 min/-1", (uint16_t)(int16_t)(i16min / i16m1), 0x8000);
    check_u64("i16 min%-1", (uint16_t)(int16_t)(i16min % i16m1), 0);
    check_u64("i8 x/7", (uint8_t)(i8x / 7), 14);
    check_u64("i16 -x%7", (uint16_t)(-i16x % 7), (uint16_t)-5);

    /* 32 bits through the C operators. */
    check_u64("i32 min/-1", (uint32_t)(i32min / i32m1), 0x80000000u);
    check_u64("i32 min%-1", (uint32_t)(i32min % i32m1), 0);
    check_u64("i32 x/-7", (uint32_t)(i32x / -7), (uint32_t)-17636684);
    check_u64("i32 -x%7", (uint32_t)(-i32x % 7), (uint32_t)-1);
    check_u64("u32 max/3", u32max / 3, 0x55555555u);
    check_u64("u32 x%7", u32x % 7, 3000000000u % 7);

    /* 32-bit instructions: results are sign-extended to 64 bits. */
    check_u64("divw x/0", ASM2("divw", i32x, i32z), (uint64_t)-1);
    check_u64("remw x%0", ASM2("remw", i32x, i32z), 123456789);
    check_u64("divw min/-1", ASM2("divw", i32min, i32m1), (uint64_t)(int64_t)INT32_MIN);
    check_u64("remw min%-1", ASM2("remw", i32min, i32m1), 0);
    check_u64("divuw x/0", ASM2("divuw", u32x, u32z), (uint64_t)-1);
    check_u64("remuw x%0", ASM2("remuw", u32x, u32z), (uint64_t)(int64_t)(int32_t)3000000000u);
    check_u64("divuw max/1", ASM2("divuw", u32max, 1), (uint64_t)-1);
    check_u64("divw ignores upper", ASM2("divw", 0x100000007L, 2L), 3);
    check_u64("remuw -0/...", ASM2("remuw", (long)0xffffffff00000005L, 3L), 2);

    /* 64-bit instructions. */
    check_u64("div x/0", ASM2("div", i64x, i64z), (uint64_t)-1);
    check_u64("rem x%0", ASM2("rem", i64x, i64z), 0x123456789abcdefULL);
    check_u64("div min/-1", ASM2("div", i64min, i64m1), 0x8000000000000000ull);
    check_u64("rem min%-1", ASM2("rem", i64min, i64m1), 0);
    check_u64("divu x/0", ASM2("divu", u64x, u64z), UINT64_MAX);
    check_u64("remu x%0", ASM2("remu", u64x, u64z), 0xfedcba9876543210ull);
    check_u64("divu max/max", ASM2("divu", u64max, u64max), 1);
    check_u64("rem -7%2", ASM2("rem", -7L, 2L), (uint64_t)-1);
    check_u64("div -7/2", ASM2("div", -7L, 2L), (uint64_t)-3);

    /* 64-bit C operators over many values, checked against the identity a = q*b + r, |r| < |b|. */
    int bad = 0;
    unsigned long long sum = 0;
    for (int i = 0; i < 20000; i++) {
        int64_t a = (int64_t)rng_next(), b = (int64_t)(rng_next() >> (rng_next() & 63));
        if (b == 0 || (a == INT64_MIN && b == -1)) continue;
        int64_t q = a / b, r = a % b;
        if (q * b + r != a || (r != 0 && ((r < 0) != (a < 0)))) bad++;
        uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
        if ((ua / ub) * ub + ua % ub != ua || ua % ub >= ub) bad++;
        int32_t a32 = (int32_t)a, b32 = (int32_t)b ? (int32_t)b : 1;
        if (!(a32 == INT32_MIN && b32 == -1) && (a32 / b32) * b32 + a32 % b32 != a32) bad++;
        sum = sum * 31 + (uint64_t)q + (uint64_t)r;
    }
    printf("division checksum %llx\n", sum);
    check_u64("division identity failures", bad, 0);
    return check_done("int_divide");
}
