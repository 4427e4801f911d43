//! cflags: -latomic
/* Atomics, single-threaded (their results are fully determined): __atomic builtins on 8/16/32/64-bit
 * (sub-word ones compile to masked LR/SC loops), stdatomic compare-exchange loops, and LR/SC and AMO
 * instructions through inline asm, including an SC that must fail after its reservation is broken. */
#include <stdatomic.h>
#include <stdint.h>
#include "check.h"

static uint8_t b8 = 0xf0;
static uint16_t h16 = 0xfff0;
static uint32_t w32 = 10;
static uint64_t d64 = 1ull << 40;
static _Atomic long counter;
static _Atomic int flag32;

/* Adds v to *p with an LR/SC loop; returns the old value. */
static long lrsc_add(long *p, long v)
{
    long old, fail;
    __asm__ volatile("1: lr.d.aqrl %0, (%2)\n\t"
                     "add t0, %0, %3\n\t"
                     "sc.d.aqrl %1, t0, (%2)\n\t"
                     "bnez %1, 1b"
                     : "=&r"(old), "=&r"(fail) : "r"(p), "r"(v) : "t0", "memory");
    return old;
}

int main(void)
{
    check_u64("fetch_add u8", __atomic_fetch_add(&b8, 0x20, __ATOMIC_SEQ_CST), 0xf0);
    check_u64("u8 wrapped", b8, 0x10);
    check_u64("fetch_or u16", __atomic_fetch_or(&h16, 0x000f, __ATOMIC_RELAXED), 0xfff0);
    check_u64("exchange u16", __atomic_exchange_n(&h16, 7, __ATOMIC_ACQ_REL), 0xffff);
    check_u64("fetch_sub u32", __atomic_fetch_sub(&w32, 11, __ATOMIC_SEQ_CST), 10);
    check_u64("u32 wrapped", w32, 0xffffffffu);
    check_u64("and_fetch u32", __atomic_and_fetch(&w32, 0xf0f0, __ATOMIC_SEQ_CST), 0xf0f0);
    check_u64("xor_fetch u64", __atomic_xor_fetch(&d64, 1, __ATOMIC_SEQ_CST), (1ull << 40) | 1);
    check_u64("nand_fetch u64", __atomic_nand_fetch(&d64, 3, __ATOMIC_SEQ_CST), ~1ull);
    uint64_t expect = 5;
    check_u64("cas u64 fails", __atomic_compare_exchange_n(&d64, &expect, 9, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST), 0);
    check_u64("cas u64 expected updated", expect, ~1ull);
    check_u64("cas u64 succeeds", __atomic_compare_exchange_n(&d64, &expect, 9, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST), 1);
    uint8_t e8 = 0x10;
    check_u64("cas u8", __atomic_compare_exchange_n(&b8, &e8, 0xab, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST), 1);
    check_u64("u8 after cas", b8, 0xab);

    /* stdatomic: a CAS loop computing a running max and a multiply. */
    for (long i = 0; i < 1000; i++) {
        long cur = atomic_load(&counter), next;
        do next = cur * 3 + i; while (!atomic_compare_exchange_weak(&counter, &cur, next));
    }
    printf("cas loop result %lx\n", (long)atomic_load(&counter));
    int old = atomic_exchange_explicit(&flag32, 1, memory_order_acquire);
    check_u64("flag exchange", old, 0);
    check_u64("fetch_max-like", atomic_fetch_add(&flag32, -2), 1);
    check_u64("int32 negative", (uint32_t)atomic_load(&flag32), 0xffffffffu);

    /* Raw instructions. */
    long cell = 100;
    for (int i = 0; i < 50; i++) lrsc_add(&cell, i);
    check_u64("lr/sc adds", cell, 100 + 49 * 50 / 2);
    long r;
    __asm__ volatile("amoswap.d %0, %2, (%1)" : "=r"(r) : "r"(&cell), "r"(7L) : "memory");
    check_u64("amoswap old", r, 1325);
    __asm__ volatile("amomax.d %0, %2, (%1)" : "=r"(r) : "r"(&cell), "r"(-5L) : "memory");
    check_u64("amomax keeps 7", cell, 7);
    __asm__ volatile("amominu.d %0, %2, (%1)" : "=r"(r) : "r"(&cell), "r"(-5L) : "memory");
    check_u64("amominu keeps 7", cell, 7);
    int cell32 = -1;
    __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(r) : "r"(&cell32), "r"(1L) : "memory");
    check_u64("amoadd.w old sign-extended", r, (uint64_t)-1);
    check_u64("amoadd.w new", (uint32_t)cell32, 0);
    __asm__ volatile("amomaxu.w %0, %2, (%1)" : "=r"(r) : "r"(&cell32), "r"(0x80000000L) : "memory");
    check_u64("amomaxu.w", (uint32_t)cell32, 0x80000000u);
    /* An SC without a matching LR must fail (write nonzero) and leave memory alone. */
    long fail, other = 0;
    __asm__ volatile("lr.d %0, (%2)\n\t"
                     "sc.d %1, %3, (%4)\n\t"      /* SC to a different address: fails or succeeds per spec... */
                     "sc.d %1, %3, (%2)"          /* ...but this second SC has no reservation left: must fail */
                     : "=&r"(r), "=&r"(fail) : "r"(&cell), "r"(99L), "r"(&other) : "memory");
    check_u64("sc without reservation fails", fail != 0, 1);
    check_u64("cell unchanged", cell, 7);
    return check_done("atomics");
}
