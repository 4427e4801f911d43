//! cflags: -lm
/* The math library over a spread of arguments, printed exactly with %a: glibc's RISC-V libm uses fused
 * multiply-add, classification, sign injection and conversion instructions throughout, so this covers the
 * FPU broadly. Also checks a few identities that hold exactly. */
#include <math.h>
#include <stdint.h>
#include "check.h"

int main(void)
{
    double xs[] = { -0.0, 0.0, 1e-310, 1e-5, 0.5, 1.0, 2.0, M_PI / 4, 3.0, 10.0, 100.5, 700.0, 1e10, 1e300, -1.5, -7.25, INFINITY, NAN };
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("x=%a sin=%a cos=%a tan=%a exp=%a log=%a\n", x, sin(x), cos(x), tan(x), exp(x), log(x));
        printf("    atan=%a sinh=%a cbrt=%a log2=%a log10=%a expm1=%a log1p=%a\n", atan(x), sinh(x), cbrt(x), log2(x),
               log10(x), expm1(x), log1p(x));
        printf("    floor=%a ceil=%a round=%a trunc=%a frexp=%a fabs=%a copysign=%a\n", floor(x), ceil(x), round(x), trunc(x),
               frexp(x, &(int){0}), fabs(x), copysign(3.0, x));
        float f = (float)x;
        printf("    sinf=%a expf=%a logf=%a sqrtf=%a powf=%a\n", sinf(f), expf(f), logf(f), sqrtf(f), powf(f, 1.5f));
    }
    double acc = 0;
    for (int i = 1; i <= 2000; i++) {
        double x = i * 0.37 - 300;
        acc += pow(fabs(x), 0.3) + atan2(x, i) + hypot(x, i) + fmod(x, 7.5) + remainder(x, 3.0) + erf(x / 100) + tgamma(fabs(x) / 100 + 0.5);
    }
    printf("accumulated %a\n", acc);
    check_u64("sqrt(4)", (uint64_t)(sqrt(4.0) == 2.0), 1);
    check_true("copysign(-0)", signbit(copysign(0.0, -1.0)));
    check_true("classify", fpclassify(1e-310) == FP_SUBNORMAL && fpclassify(INFINITY) == FP_INFINITE && fpclassify(NAN) == FP_NAN);
    check_true("isnan(0*inf)", isnan(0.0 * xs[16]));
    return check_done("libm_funcs");
}
