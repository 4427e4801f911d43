/* qsort and bsearch on many elements: 64-bit keys, structs with ties (checked sorted and a permutation
 * through a checksum), strings, and bsearch hits and misses for every element. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "check.h"

#define N 60000
struct rec { uint32_t key; uint32_t id; };

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
    return (x->id > y->id) - (x->id < y->id);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static uint64_t keys[N];
static struct rec recs[N];
static char words[5000][12];
static char *wp[5000];

int main(void)
{
    uint64_t xsum = 0;
    for (int i = 0; i < N; i++) { keys[i] = rng_next() >> (i % 40); xsum += keys[i] * 7 ^ keys[i]; }
    qsort(keys, N, sizeof keys[0], cmp_u64);
    int bad = 0;
    uint64_t after = 0;
    for (int i = 0; i < N; i++) { after += keys[i] * 7 ^ keys[i]; if (i && keys[i - 1] > keys[i]) bad++; }
    check_u64("u64 order violations", bad, 0);
    check_u64("u64 permutation checksum", after == xsum, 1);
    printf("min %llx max %llx median %llx\n", (unsigned long long)keys[0], (unsigned long long)keys[N - 1],
           (unsigned long long)keys[N / 2]);

    int miss = 0;
    for (int i = 0; i < N; i++) {
        uint64_t *hit = bsearch(&keys[i], keys, N, sizeof keys[0], cmp_u64);
        if (!hit || *hit != keys[i]) miss++;
        uint64_t probe = keys[i] + 1;
        hit = bsearch(&probe, keys, N, sizeof keys[0], cmp_u64);
        if (hit && *hit != probe) miss++;
    }
    check_u64("bsearch misses", miss, 0);

    for (int i = 0; i < N; i++) { recs[i].key = (uint32_t)(rng_next() % 1000); recs[i].id = (uint32_t)i; }
    qsort(recs, N, sizeof recs[0], cmp_rec);
    bad = 0;
    uint64_t h = 0;
    for (int i = 0; i < N; i++) {
        if (i && cmp_rec(&recs[i - 1], &recs[i]) >= 0) bad++;
        h = h * 1000003 + recs[i].id;
    }
    check_u64("struct order violations", bad, 0);
    printf("struct hash %llx\n", (unsigned long long)h);

    for (int i = 0; i < 5000; i++) {
        uint64_t r = rng_next();
        int len = 1 + (int)(r % 10);
        for (int k = 0; k < len; k++) words[i][k] = (char)('a' + (r >> (8 + k * 5)) % 26);
        wp[i] = words[i];
    }
    qsort(wp, 5000, sizeof wp[0], cmp_str);
    bad = 0;
    for (int i = 1; i < 5000; i++) if (strcmp(wp[i - 1], wp[i]) > 0) bad++;
    check_u64("string order violations", bad, 0);
    printf("first %s last %s mid %s\n", wp[0], wp[4999], wp[2500]);
    return check_done("sort_search");
}
