/* String and memory functions: memcpy and memmove with every small overlap and misalignment, strlen on
 * unaligned buffers near page ends, memcmp/strcmp signs, memchr/strchr/strrchr/strstr, and the strtol
 * family with bases, signs, overflow (ERANGE) and end pointers. */
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include "check.h"

static unsigned char src[512], dst[512], ref[512];

static void ref_move(unsigned char *d, const unsigned char *s, size_t n)
{
    unsigned char tmp[512];
    for (size_t i = 0; i < n; i++) tmp[i] = s[i];
    for (size_t i = 0; i < n; i++) d[i] = tmp[i];
}

int main(void)
{
    int bad = 0;
    for (int i = 0; i < 512; i++) src[i] = (unsigned char)(i * 7 + 3);
    for (int so = 0; so < 16; so++)
        for (int d0 = 0; d0 < 16; d0++)
            for (size_t n = 0; n < 140; n += 1 + n / 8) {
                memset(dst, 0xee, sizeof dst); memset(ref, 0xee, sizeof ref);
                memcpy(dst + d0, src + so, n);
                ref_move(ref + d0, src + so, n);
                if (memcmp(dst, ref, sizeof dst)) bad++;
            }
    check_u64("memcpy mismatches", bad, 0);
    for (int a = 0; a < 40; a++)
        for (int b = 0; b < 40; b++)
            for (size_t n = 0; n < 200; n += 1 + n / 4) {
                memcpy(dst, src, sizeof dst); memcpy(ref, src, sizeof ref);
                memmove(dst + a, dst + b, n);
                ref_move(ref + a, ref + b, n);
                if (memcmp(dst, ref, sizeof dst)) bad++;
            }
    check_u64("memmove mismatches", bad, 0);

    /* strlen where the terminator is the last byte before an unmapped page. */
    unsigned char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(pages + 4096, 4096);
    for (int len = 0; len < 64; len++) {
        char *s = (char *)pages + 4096 - 1 - len;
        memset(s, 'x', len);
        s[len] = 0;
        if (strlen(s) != (size_t)len) bad++;
        if (len && (strchr(s, 'x') != s || strrchr(s, 'x') != s + len - 1 || memchr(s, 0, len + 1) != s + len)) bad++;
    }
    check_u64("strlen near page end mismatches", bad, 0);
    for (int off = 0; off < 8; off++) {
        char buf[80];
        memset(buf, 'a', sizeof buf);
        for (int len = 0; len < 64; len++) { buf[off + len] = 0; if (strlen(buf + off) != (size_t)len) bad++; buf[off + len] = 'a'; }
    }
    check_u64("unaligned strlen mismatches", bad, 0);

    printf("memcmp %d %d %d strcmp %d %d strncmp %d\n", memcmp("\x80", "\x01", 1) > 0, memcmp("ab", "ac", 2) < 0,
           memcmp("same", "same", 4), strcmp("abc", "abd") < 0, strcmp("b", "abc") > 0, strncmp("abcX", "abcY", 3));
    const char *hay = "the quick brown fox jumps over the lazy dog";
    printf("strstr %ld %ld %p strspn %zu strcspn %zu\n", strstr(hay, "fox") - hay, strstr(hay, "the l") - hay,
           (void *)strstr(hay, "cat"), strspn(hay, "eht "), strcspn(hay, "qz"));

    const char *nums[] = { "0", "-0", "123abc", "  -42", "+17", "0x1f", "0X1F", "077", "08", "z", "zz",
                           "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                           "-9223372036854775809", "18446744073709551615", "18446744073709551616", "-1", "", "   " };
    int bases[] = { 10, 0, 16, 8, 36, 2 };
    for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++)
        for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            char *e1, *e2;
            errno = 0; long l = strtol(nums[i], &e1, bases[b]); int er1 = errno;
            errno = 0; unsigned long long u = strtoull(nums[i], &e2, bases[b]); int er2 = errno;
            printf("\"%s\" base %d: l=%ld end=%d %s u=%llu end=%d %s\n", nums[i], bases[b], l, (int)(e1 - nums[i]),
                   er1 == ERANGE ? "ERANGE" : er1 ? "EINVAL" : "-", u, (int)(e2 - nums[i]), er2 == ERANGE ? "ERANGE" : er2 ? "EINVAL" : "-");
        }
    errno = 0;
    check_u64("strtol overflow saturates", (uint64_t)strtol("99999999999999999999", NULL, 10), LONG_MAX);
    check_u64("strtol overflow errno", errno, ERANGE);
    check_u64("strtoul -1", strtoul("-1", NULL, 10), ULONG_MAX);
    check_u64("atoi", (uint64_t)(int64_t)atoi("  -2147483648"), (uint64_t)(int64_t)INT_MIN);
    return check_done("string_mem");
}
