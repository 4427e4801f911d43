/* The allocator over brk and mmap: large blocks (beyond the mmap threshold), many small blocks freed in
 * a scrambled order, realloc growth that must keep contents, calloc zeroing, and aligned allocation. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "check.h"

#define SMALL 20000

static void *small[SMALL];

int main(void)
{
    /* Large blocks: each filled and checked, then freed (munmap). */
    uint64_t sum = 0;
    for (int i = 1; i <= 8; i++) {
        size_t n = (size_t)i * 1024 * 1024 + 123;
        unsigned char *p = malloc(n);
        if (!p) { printf("large malloc failed\n"); return 2; }
        for (size_t k = 0; k < n; k += 4096) p[k] = (unsigned char)(k >> 12) ^ (unsigned char)i;
        p[n - 1] = 0x5a;
        for (size_t k = 0; k < n; k += 4096) sum += p[k];
        sum += p[n - 1];
        free(p);
    }
    printf("large sum %llu\n", (unsigned long long)sum);

    /* Many small blocks with a pattern, freed in a scrambled order and reallocated. */
    for (int i = 0; i < SMALL; i++) {
        size_t n = 1 + rng_next() % 200;
        small[i] = malloc(n);
        memset(small[i], i & 0xff, n);
        ((unsigned char *)small[i])[0] = (unsigned char)n;
    }
    int bad = 0;
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < SMALL; i++) {
            int j = (int)((i * 7919u + round * 104729u) % SMALL);
            unsigned char *p = small[j];
            size_t n = p[0];
            if (n > 1 && p[n - 1] != (unsigned char)(j & 0xff)) bad++;
            free(p);
            n = 1 + rng_next() % 200;
            small[j] = malloc(n);
            memset(small[j], j & 0xff, n);
            ((unsigned char *)small[j])[0] = (unsigned char)n;
        }
    for (int i = 0; i < SMALL; i++) free(small[i]);
    check_u64("small block corruption", bad, 0);

    /* realloc growth from 16 bytes to 32 MiB, keeping the prefix. */
    size_t n = 16;
    unsigned char *buf = malloc(n);
    for (size_t k = 0; k < n; k++) buf[k] = (unsigned char)(k * 13);
    bad = 0;
    while (n < (32u << 20)) {
        size_t m = n * 2 + 7;
        buf = realloc(buf, m);
        if (!buf) { printf("realloc failed at %zu\n", m); return 2; }
        for (size_t k = 0; k < n; k += 997) if (buf[k] != (unsigned char)(k * 13)) bad++;
        for (size_t k = n; k < m; k++) buf[k] = (unsigned char)(k * 13);
        n = m;
    }
    buf = realloc(buf, 100);
    for (size_t k = 0; k < 100; k++) if (buf[k] != (unsigned char)(k * 13)) bad++;
    free(buf);
    check_u64("realloc corruption", bad, 0);
    printf("realloc final size %zu\n", n);

    unsigned *z = calloc(3 << 20, sizeof *z);
    uint64_t zs = 0;
    for (size_t k = 0; k < (3u << 20); k += 1000) zs += z[k];
    free(z);
    check_u64("calloc zero", zs, 0);
    void *al = aligned_alloc(65536, 65536 * 3);
    check_u64("aligned_alloc alignment", (uintptr_t)al % 65536, 0);
    free(al);
    return check_done("malloc_stress");
}
