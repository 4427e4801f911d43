/* Control flow a compiler emits in many shapes: dense switch (jump table), sparse switch, indirect calls
 * through a table, deep and mutual recursion, varargs, alloca, struct arguments and returns by value,
 * bit-fields, computed goto, and 128-bit integers. */
#include <stdarg.h>
#include <stdint.h>
#include <alloca.h>
#include <string.h>
#include "check.h"

struct big { long a[9]; };
struct bits { unsigned lo : 3; signed mid : 7; unsigned hi : 22; };

static int dense(int x)
{
    switch (x) {
    case 0: return 11; case 1: return 22; case 2: return 33; case 3: return 44; case 4: return 55;
    case 5: return 66; case 6: return 77; case 7: return 88; case 8: return 99; default: return -1;
    }
}
static int sparse(long x)
{
    switch (x) {
    case -100000: return 1; case 7: return 2; case 4096: return 3; case 1L << 40: return 4; default: return 0;
    }
}
static long add(long a, long b) { return a + b; }
static long sub(long a, long b) { return a - b; }
static long mul(long a, long b) { return a * b; }
static long (*const ops[])(long, long) = { add, sub, mul };

static unsigned long ackermann(unsigned long m, unsigned long n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static double sum_varargs(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    double s = 0;
    for (int i = 0; i < n; i++) s += (i & 1) ? va_arg(ap, double) : (double)va_arg(ap, long);
    va_end(ap);
    return s;
}
static struct big twice(struct big b) { for (int i = 0; i < 9; i++) b.a[i] *= 2; return b; }

static long interpret(const unsigned char *code)
{
    static void *const labels[] = { &&op_halt, &&op_inc, &&op_dbl, &&op_neg };
    long acc = 1;
    goto *labels[*code];
op_inc: acc++; goto *labels[*++code];
op_dbl: acc *= 2; goto *labels[*++code];
op_neg: acc = -acc; goto *labels[*++code];
op_halt: return acc;
}

int main(int argc, char **argv)
{
    (void)argv;
    long s = 0;
    for (int i = -2; i < 12; i++) s = s * 3 + dense(i + argc - 1);
    printf("dense switch %ld\n", s);
    long keys[] = { -100000, 7, 4096, 1L << 40, 5, 0 };
    for (int i = 0; i < 6; i++) s += sparse(keys[i]) * (i + 1);
    printf("switch total %ld\n", s);
    long r = 5;
    for (int i = 0; i < 30; i++) r = ops[i % 3](r, i + 1);
    printf("indirect calls %ld\n", r);
    check_u64("ackermann(2,3)", ackermann(2, 3), 9);
    check_u64("ackermann(3,5)", ackermann(3, 5), 253);
    check_u64("mutual recursion", is_even(10001), 0);
    printf("varargs %a\n", sum_varargs(6, 1L, 2.5, 3L, 4.25, -10L, 0.125));
    struct big b;
    for (int i = 0; i < 9; i++) b.a[i] = i * 1000 + 1;
    struct big c = twice(b);
    check_u64("struct by value unchanged", b.a[8], 8001);
    check_u64("struct returned", c.a[8], 16002);
    struct bits bf = { 5, -3, 0x2abcde };
    bf.mid -= 60;
    printf("bitfields %u %d %#x size %zu\n", bf.lo, bf.mid, bf.hi, sizeof bf);
    check_u64("signed bitfield", (uint64_t)(int64_t)bf.mid, (uint64_t)-63);
    bf.mid -= 2;  /* -65 does not fit in 7 bits: wraps to 63 */
    check_u64("signed bitfield wraps", (uint64_t)(int64_t)bf.mid, 63);
    int n = 1000 + argc;
    char *a = alloca(n);
    memset(a, 'q', n);
    check_u64("alloca", a[n - 1], 'q');
    const unsigned char prog[] = { 1, 2, 2, 3, 1, 2, 0 };
    check_u64("computed goto", (uint64_t)interpret(prog), (uint64_t)(-(1 + 1) * 4 + 1) * 2);
    unsigned __int128 big = (unsigned __int128)0xffffffffffffffffull * 0xfffffffffffffffdull + 12345;
    printf("int128 %016llx%016llx div %llu\n", (unsigned long long)(big >> 64), (unsigned long long)big,
           (unsigned long long)(big / 1000000007u % 1000000000u));
    return check_done("control_flow");
}
