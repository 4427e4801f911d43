//! cflags: -lm
/* Printing and parsing doubles: NaN, infinities and signed zeros; many values with %a %e %f %g at large
 * precision; strtod of decimal, hex, and edge inputs, checked for round-trip exactness. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <float.h>
#include <stdint.h>
#include "check.h"

int main(void)
{
    volatile double z = 0.0;
    double specials[] = { NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, DBL_MIN, DBL_MAX, DBL_TRUE_MIN, DBL_EPSILON, -z };
    for (unsigned i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        double d = specials[i];
        printf("%f %e %g %a %F %E %G %A\n", d, d, d, d, d, d, d, d);
    }
    printf("%.40f\n%.60e\n%.17g\n%.0f\n%30.20a\n", 0.1, 1.0 / 3.0, M_PI, 1e300, M_E);
    printf("%.1100f\n", DBL_TRUE_MIN);
    printf("%.20f %.20f %.3f %.3f %.0f %.0f\n", 2.5, -2.5, 1.0005, 1.0015, 0.5, 1.5);

    unsigned long long h = 0;
    int roundtrip_bad = 0;
    char buf[128];
    for (int i = 0; i < 3000; i++) {
        uint64_t bits = rng_next();
        double d;
        memcpy(&d, &bits, 8);
        if (isnan(d)) continue;
        int n = snprintf(buf, sizeof buf, "%.17g", d);
        for (int k = 0; k < n; k++) h = h * 131 + (unsigned char)buf[k];
        if (i < 40) printf("%s %a %.10e %g\n", buf, d, d, d);
        if (strtod(buf, NULL) != d) roundtrip_bad++;
        snprintf(buf, sizeof buf, "%a", d);
        if (strtod(buf, NULL) != d) roundtrip_bad++;
    }
    printf("print hash %llx\n", h);
    check_u64("round trip failures", roundtrip_bad, 0);

    const char *inputs[] = { "0", "-0", "1e-400", "1e400", "-1e400", "0x1.fffffffffffffp+1023", "0x1p-1074",
                             "2.2250738585072011e-308", "4.9406564584124654e-324", "  +3.14abc", "inf", "-Infinity",
                             "nan", "nan(123)", "1.7976931348623157e308", "1.7976931348623159e308", "123456789012345678901234567890",
                             "0.1e1", ".5", "5.", "e5", "", "0x", "1_000" };
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *end;
        errno = 0;
        double d = strtod(inputs[i], &end);
        printf("strtod(\"%s\") = %a, consumed %d, errno %s\n", inputs[i], d, (int)(end - inputs[i]),
               errno == ERANGE ? "ERANGE" : errno ? "other" : "0");
    }
    check_u64("strtod 0.1", (uint64_t)(strtod("0.1", NULL) == 0.1), 1);
    check_true("strtod -0 sign", signbit(strtod("-0", NULL)));
    float f = strtof("3.4028235e38", NULL), g = strtof("3.5e38", NULL);
    printf("strtof max %a over %a\n", f, g);
    check_true("strtof overflow is inf", isinf(g));
    return check_done("fp_print");
}
