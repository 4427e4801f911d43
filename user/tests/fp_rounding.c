//! cflags: -lm -frounding-math
/* Floating point under every rounding mode (fesetround): + - * / sqrt fma and conversions in single and
 * double precision, printed exactly with %a, with the accrued exception flags after each operation class.
 * Self-checks: directed roundings bracket the exact result, RNE/RMM-free sanity. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include "check.h"

static const int modes[] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };
static const char *const mode_names[] = { "RNE", "RTZ", "RDN", "RUP" };

static volatile double dv[] = { 1.0, 3.0, -1.0 / 3.0 * 3.0, 0.1, 1e308, -1e-308, 5e-324, 2.0, -0.0, 1e16 + 1.0 };
static volatile float fv[] = { 1.0f, 3.0f, 0.1f, 3.4e38f, -1e-38f, 1e-45f, 2.0f, -0.0f, 16777217.0f, 7.0f };

/* Prints the flags raised since the last call and clears them. */
static void flags(const char *what)
{
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("  flags %-6s %s%s%s%s%s\n", what, f & FE_INVALID ? "NV " : "", f & FE_DIVBYZERO ? "DZ " : "",
           f & FE_OVERFLOW ? "OF " : "", f & FE_UNDERFLOW ? "UF " : "", f & FE_INEXACT ? "NX" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void)
{
    const int nd = sizeof dv / sizeof dv[0], nf = sizeof fv / sizeof fv[0];
    double third[4];
    for (int m = 0; m < 4; m++) {
        check_u64(mode_names[m], fesetround(modes[m]), 0);
        feclearexcept(FE_ALL_EXCEPT);
        for (int i = 0; i < nd; i++)
            for (int j = 0; j < nd; j++) {
                double a = dv[i], b = dv[j];
                printf("d %a %a: %a %a %a %a\n", a, b, a + b, a - b, a * b, a / b);
            }
        flags("d-arith");
        for (int i = 0; i < nf; i++)
            for (int j = 0; j < nf; j++) {
                float a = fv[i], b = fv[j];
                printf("f %a %a: %a %a %a %a\n", a, b, a + b, a - b, a * b, a / b);
            }
        flags("f-arith");
        for (int i = 0; i < nd; i++) printf("sqrt %a = %a\n", dv[i], sqrt(dv[i]));
        for (int i = 0; i < nf; i++) printf("sqrtf %a = %a\n", fv[i], sqrtf(fv[i]));
        flags("sqrt");
        for (int i = 0; i < nd; i++) printf("fma %a = %a\n", dv[i], fma(dv[i], dv[(i + 1) % nd], dv[(i + 3) % nd]));
        for (int i = 0; i < nf; i++) printf("fmaf %a = %a\n", fv[i], fmaf(fv[i], fv[(i + 1) % nf], fv[(i + 3) % nf]));
        flags("fma");
        for (int i = 0; i < nd; i++) {
            double d = dv[i] * 1e3;
            printf("cvt %a: f=%a rint=%a lrint=%ld nearbyint=%a\n", d, (float)d, rint(d), lrint(d), nearbyint(d));
        }
        for (long k = -3; k <= 3; k++) {
            volatile long big = (1L << 53) + k * 3 + 1;
            printf("l->d %ld = %a, l->f = %a\n", big, (double)big, (float)big);
        }
        flags("cvt");
        third[m] = dv[0] / dv[1];
    }
    fesetround(FE_TONEAREST);
    check_true("RDN 1/3 < RUP 1/3", third[2] < third[3]);
    check_true("RTZ 1/3 == RDN 1/3", third[1] == third[2]);
    check_true("RUP 1/3 is next after RDN", nextafter(third[2], 1.0) == third[3]);
    return check_done("fp_rounding");
}
