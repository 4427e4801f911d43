/* Formatted output and input of integers and strings: every conversion with widths, precisions, flags
 * and length modifiers at type extremes; sscanf of the same back; %n and positional arguments. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <inttypes.h>
#include "check.h"

int main(void)
{
    long long vals[] = { 0, 1, -1, 42, -42, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN, 0x7f, 255, 65535 };
    const char *fmts[] = { "[%d]", "[%5d]", "[%-5d|]", "[%+d]", "[% d]", "[%05d]", "[%.3d]", "[%x]", "[%#X]", "[%o]",
                           "[%#o]", "[%u]", "[%hhd]", "[%hd]", "[%c]" };
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        for (unsigned f = 0; f < sizeof fmts / sizeof fmts[0]; f++) printf(fmts[f], (int)vals[i]);
        printf(" [%lld] [%llx] [%20lld] [%-+22lld] [%#llo] [%" PRIu64 "] [%zd] [%jd]\n", vals[i], vals[i], vals[i], vals[i],
               vals[i], (uint64_t)vals[i], (ssize_t)vals[i], (intmax_t)vals[i]);
    }
    printf("[%s] [%10s] [%-10s] [%.3s] [%*d] [%-*d] [%.*s] [%%] [%p] [%p]\n", "str", "right", "left", "truncate", 6, 7, 6, 7,
           2, "xyz", (void *)0, (void *)0x1234);
    int n1 = 0, n2 = 0;
    printf("abc%nde%n\n", &n1, &n2);
    check_u64("%n", (uint64_t)(n1 * 10 + n2), 35);
    printf("%2$s %1$s %3$05d\n", "world", "hello", 42);

    char buf[64];
    volatile size_t cap = 8;
    int len = snprintf(buf, cap, "%s", "a long string");
    check_u64("snprintf return", len, 13);
    check_u64("snprintf truncates", buf[7], 0);
    long long a; unsigned long long b; int c; char word[16]; double d; int consumed;
    int got = sscanf("  -9223372036854775808 0xffffffffffffffff 0777 hello 6.02e23 rest", "%lld %llx %i %15s %lf%n",
                     &a, &b, &c, word, &d, &consumed);
    printf("sscanf got %d: %lld %llx %d %s %g consumed %d\n", got, a, b, c, word, d, consumed);
    check_u64("sscanf count", got, 5);
    check_u64("sscanf %i octal", c, 0777);
    got = sscanf("12abc", "%d%d", &c, &c);
    check_u64("sscanf partial", got, 1);
    got = sscanf("", "%d", &c);
    check_u64("sscanf EOF", (uint64_t)(int64_t)got, (uint64_t)(int64_t)EOF);
    return check_done("printf_scanf");
}
