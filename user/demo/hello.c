/* The demo: a real RV64GC static Linux program that exercises the machine and the
 * personality: argv, environment, heap, floating point, files, and the exit status. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(int argc, char **argv)
{
    struct utsname u;
    uname(&u);
    printf("hello from %s on %s (%s)\n", argv[0], u.sysname, u.machine);
    for (int i = 1; i < argc; i++) printf("  argv[%d] = %s\n", i, argv[i]);

    int n = 100000, *v = malloc(n * sizeof *v);
    unsigned x = 12345;
    for (int i = 0; i < n; i++) { x = x * 1103515245u + 12345u; v[i] = (int)(x >> 8) % 1000000; }
    qsort(v, n, sizeof *v, cmp);
    printf("sorted %d numbers: min %d, median %d, max %d\n", n, v[0], v[n / 2], v[n - 1]);
    free(v);

    double s = 0;
    for (int k = 1; k <= 1000000; k++) s += 1.0 / ((double)k * k);
    printf("pi ~= %.12f (sqrt(6*sum 1/k^2)), libm says %.12f\n", sqrt(6 * s), M_PI);

    FILE *f = fopen("/proc/version", "r");
    printf("/proc/version %s\n", f ? "is readable" : "is not readable here");
    if (f) fclose(f);
    return 0;
}
