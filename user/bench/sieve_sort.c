/* A sieve of Eratosthenes and qsort mix: sieves primes below LIMIT several times, then sorts arrays of
 * pseudo-random 64-bit keys and checks the order, printing a checksum. ROUNDS is tuned for ~1-3 s under
 * qemu-riscv64; pass a different count as argv[1]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define LIMIT 2000000
#define KEYS 200000

static unsigned char composite[LIMIT];
static uint64_t keys[KEYS];

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Returns the number of primes below LIMIT. */
static unsigned sieve(void)
{
    memset(composite, 0, sizeof composite);
    unsigned count = 0;
    for (unsigned i = 2; i < LIMIT; i++) {
        if (composite[i]) continue;
        count++;
        for (uint64_t j = (uint64_t)i * i; j < LIMIT; j += i) composite[j] = 1;
    }
    return count;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    uint64_t state = 88172645463325252ull, check = 0;
    for (int r = 0; r < rounds; r++) {
        check += sieve();
        for (int i = 0; i < KEYS; i++) {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            keys[i] = state;
        }
        qsort(keys, KEYS, sizeof keys[0], cmp);
        for (int i = 1; i < KEYS; i++) if (keys[i - 1] > keys[i]) { printf("not sorted\n"); return 1; }
        check = check * 31 + keys[KEYS / 2];
    }
    printf("sieve_sort: %d rounds, check %016llx\n", rounds, (unsigned long long)check);
    return 0;
}
