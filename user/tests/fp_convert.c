//! cflags: -lm
/* Float <-> integer conversions at the edges, with the saturation RISC-V defines: out-of-range and +inf
 * give the largest value, -inf the smallest, NaN the largest; invalid raises NV. Uses the exact fcvt
 * instructions with each static rounding mode, and reads fflags through the CSR. */
#include <math.h>
#include <stdint.h>
#include "check.h"

#define CVT(op, rm, src) ({ long _r; __asm__ volatile("csrw fflags, zero\n\t" op " %0,%1," rm : "=r"(_r) : "f"(src)); _r; })
static unsigned long fflags(void) { unsigned long f; __asm__ volatile("csrr %0, fflags" : "=r"(f)); return f; }

static volatile double d_in[] = { 0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 2147483647.0, 2147483647.5, 2147483648.0,
                                  -2147483648.0, -2147483648.5, -2147483649.0, 4294967295.0, 4294967296.0,
                                  9.2233720368547748e18, 9.2233720368547758e18, -9.2233720368547758e18,
                                  1.8446744073709550e19, 1.8446744073709552e19, 1e300, -1e300, INFINITY, -INFINITY, NAN };
static volatile float f_in[] = { 0.5f, -1.5f, 2147483520.0f, 2147483648.0f, -2147483648.0f, 4294967040.0f,
                                 9.2233715e18f, 9.2233720e18f, 1.8446743e19f, 1.8446744e19f, -1.0f, INFINITY, -INFINITY, NAN };

int main(void)
{
    const int nd = sizeof d_in / sizeof d_in[0], nf = sizeof f_in / sizeof f_in[0];
    for (int i = 0; i < nd; i++) {
        double d = d_in[i];
        long w = CVT("fcvt.w.d", "rtz", d);  unsigned long fw = fflags();
        long wu = CVT("fcvt.wu.d", "rtz", d); unsigned long fwu = fflags();
        long l = CVT("fcvt.l.d", "rtz", d);  unsigned long fl = fflags();
        long lu = CVT("fcvt.lu.d", "rtz", d); unsigned long flu = fflags();
        printf("%-24a w=%lx/%lx wu=%lx/%lx l=%lx/%lx lu=%lx/%lx\n", d, w, fw, wu, fwu, l, fl, lu, flu);
        printf("   rne=%ld rdn=%ld rup=%ld rmm=%ld\n", CVT("fcvt.l.d", "rne", d), CVT("fcvt.l.d", "rdn", d),
               CVT("fcvt.l.d", "rup", d), CVT("fcvt.l.d", "rmm", d));
    }
    for (int i = 0; i < nf; i++) {
        float f = f_in[i];
        printf("%-16a w=%lx wu=%lx l=%lx lu=%lx rmm=%ld\n", f, CVT("fcvt.w.s", "rtz", f), CVT("fcvt.wu.s", "rtz", f),
               CVT("fcvt.l.s", "rtz", f), CVT("fcvt.lu.s", "rtz", f), CVT("fcvt.l.s", "rmm", f));
    }
    check_u64("w(nan)", CVT("fcvt.w.d", "rtz", (double)NAN), 0x7fffffff);
    check_u64("w(+inf)", CVT("fcvt.w.d", "rtz", (double)INFINITY), 0x7fffffff);
    check_u64("w(-inf)", CVT("fcvt.w.d", "rtz", -(double)INFINITY), 0xffffffff80000000ull);
    check_u64("wu(-1)", CVT("fcvt.wu.d", "rtz", -1.0), 0);
    check_u64("wu(-1) flags", fflags(), 0x10);
    check_u64("wu(-0.5) flags", (CVT("fcvt.wu.d", "rtz", -0.5), fflags()), 0x1);
    check_u64("wu(big)", CVT("fcvt.wu.d", "rtz", 1e10), (uint64_t)-1);
    check_u64("l(nan)", CVT("fcvt.l.d", "rtz", (double)NAN), 0x7fffffffffffffffull);
    check_u64("l(-inf)", CVT("fcvt.l.d", "rtz", -(double)INFINITY), 0x8000000000000000ull);
    check_u64("lu(nan)", CVT("fcvt.lu.d", "rtz", (double)NAN), (uint64_t)-1);
    check_u64("l(2.5) rne", CVT("fcvt.l.d", "rne", 2.5), 2);
    check_u64("l(2.5) rmm", CVT("fcvt.l.d", "rmm", 2.5), 3);
    check_u64("l(-2.5) rdn", CVT("fcvt.l.d", "rdn", -2.5), (uint64_t)-3);

    /* Integer to float, checked through the C casts (compiled to fcvt.d.l etc.). */
    volatile int64_t big = INT64_MAX; volatile uint64_t ubig = UINT64_MAX; volatile int32_t m32 = INT32_MIN;
    printf("d(INT64_MAX)=%a d(UINT64_MAX)=%a f(UINT64_MAX)=%a d(INT32_MIN)=%a\n",
           (double)big, (double)ubig, (float)ubig, (double)m32);
    check_true("d(INT64_MAX) == 2^63", (double)big == 9223372036854775808.0);
    /* Float to float: NaN boxing and canonical NaN. */
    volatile double dn = NAN; volatile float fn = NAN;
    union { double d; uint64_t u; } ud = { .d = (double)(float)dn };
    union { float f; uint32_t u; } uf = { .f = (float)(dn * 2.0) };
    check_u64("canonical nan d", ud.u, 0x7ff8000000000000ull);
    check_u64("canonical nan f", uf.u, 0x7fc00000u);
    check_true("float nan is nan", isnan(fn));
    /* fmin/fmax with -0 and NaN (RISC-V 2.2: minimumNumber semantics). */
    volatile double nz = -0.0, pz = 0.0;
    printf("fmin(-0,0)=%g fmax(-0,0)=%g fmin(nan,1)=%g fmax(1,nan)=%g\n", fmin(nz, pz), fmax(nz, pz), fmin(dn, 1.0), fmax(1.0, dn));
    check_true("fmin(-0,+0) is -0", signbit(fmin(nz, pz)) && fmin(nz, pz) == 0);
    return check_done("fp_convert");
}
