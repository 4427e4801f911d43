/* setjmp/longjmp: values, volatile locals kept across the jump, nested buffers, deep recursion unwound by
 * one longjmp, longjmp(.., 0) returning 1, and sigsetjmp/siglongjmp. */
#include <setjmp.h>
#include <signal.h>
#include "check.h"

static jmp_buf outer, inner;
static sigjmp_buf sj;
static int depth_reached;

static void dive(int depth)
{
    volatile char pad[64];
    pad[depth % 64] = (char)depth;
    if (depth == 500) { depth_reached = depth + pad[depth % 64] * 0; longjmp(outer, 77); }
    if (depth < 1000) dive(depth + 1);
    pad[0]++;
}

static int step(int i) { if (i % 3 == 0) longjmp(inner, i + 1); return i; }

int main(void)
{
    volatile int counter = 0;
    int v = setjmp(outer);
    if (v == 0) { counter = 10; dive(0); }
    check_u64("longjmp value", v, 77);
    check_u64("volatile local kept", counter, 10);
    check_u64("recursion depth", depth_reached, 500);

    volatile long sum = 0;
    for (volatile int i = 0; i < 30; i++) {
        int r = setjmp(inner);
        if (r == 0) sum += step(i);
        else sum += 1000 * r;
    }
    printf("nested sum %ld\n", sum);
    check_u64("nested sum", sum, 145000 + 300);

    if (setjmp(outer) == 0) longjmp(outer, 0);
    else printf("longjmp(0) gave nonzero\n");

    volatile int sig = 0;
    if (sigsetjmp(sj, 1) == 0) { sig = 1; siglongjmp(sj, 5); }
    check_u64("siglongjmp", sig, 1);
    return check_done("setjmp_longjmp");
}
