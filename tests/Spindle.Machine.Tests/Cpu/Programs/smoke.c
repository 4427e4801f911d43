/* Freestanding smoke test for the hart: integer, compressed, atomic and FP code paths.
   Output goes through write(1, ...) and the result is exit(0). Built with -nostdlib -static. */
typedef unsigned long u64;

static long sys3(long n, long a, long b, long c)
{
    register long a0 asm("a0") = a, a1 asm("a1") = b, a2 asm("a2") = c, a7 asm("a7") = n;
    asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static char out[4096];
static int outLen;

static void put(const char *s) { while (*s) out[outLen++] = *s++; }

static void putNum(long v)
{
    char tmp[24]; int n = 0;
    if (v < 0) { out[outLen++] = '-'; v = -v; }
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) out[outLen++] = tmp[--n];
}

static u64 xs = 88172645463325252UL;
static u64 rnd(void) { xs ^= xs << 13; xs ^= xs >> 7; xs ^= xs << 17; return xs; }

static long arr[500];

void _start(void)
{
    /* Insertion sort of pseudo-random numbers, then a checksum. */
    for (int i = 0; i < 500; i++) arr[i] = (long)(rnd() % 100000) - 50000;
    for (int i = 1; i < 500; i++) {
        long k = arr[i]; int j = i - 1;
        while (j >= 0 && arr[j] > k) { arr[j + 1] = arr[j]; j--; }
        arr[j + 1] = k;
    }
    long sum = 0;
    for (int i = 0; i < 500; i++) sum = sum * 31 + arr[i] / 7 + arr[i] % 13;
    put("sort "); putNum(arr[0]); put(" "); putNum(arr[499]); put(" "); putNum(sum); put("\n");

    /* Atomics. */
    long counter = 5;
    __atomic_fetch_add(&counter, 10, __ATOMIC_SEQ_CST);
    long expected = 15;
    __atomic_compare_exchange_n(&counter, &expected, 99, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    put("atomic "); putNum(counter); put("\n");

    /* Floating point: a series and conversions. */
    double acc = 0;
    for (int i = 1; i <= 1000; i++) acc += 1.0 / ((double)i * i);
    float f = 0;
    for (int i = 0; i < 100; i++) f = f * 0.5f + (float)i;
    put("fp "); putNum((long)(acc * 1e9)); put(" "); putNum((long)(f * 1000)); put("\n");

    /* Division edge cases. */
    volatile long zero = 0, m1 = -1, minv = (long)0x8000000000000000UL;
    put("div "); putNum(7 / zero == -1); putNum(minv / m1 == minv); putNum(7 % zero); put("\n");

    sys3(64, 1, (long)out, outLen);
    sys3(93, 0, 0, 0);
    for (;;) {}
}
