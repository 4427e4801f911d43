/* cow: after fork, parent and child see private copies of globals, heap and stack (copy-on-write): each
 * writes its own values and checks it never sees the other's. The child reports its view by exit status. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

#define PAGES 16
static char global[PAGES * 4096];

/* Returns 1 iff every byte of buf[0..n) is v. */
static int all(const char *buf, size_t n, char v)
{
    for (size_t i = 0; i < n; i++) if (buf[i] != v) return 0;
    return 1;
}

int main(void)
{
    char *heap = malloc(PAGES * 4096);
    char stack[8192];
    memset(global, 'g', sizeof global);
    memset(heap, 'h', PAGES * 4096);
    memset(stack, 's', sizeof stack);
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t c = checked_fork();
    if (c == 0) {
        int ok = all(global, sizeof global, 'g') && all(heap, PAGES * 4096, 'h') && all(stack, sizeof stack, 's');
        memset(global, 'G', sizeof global);
        memset(heap, 'H', PAGES * 4096);
        memset(stack, 'S', sizeof stack);
        write(done[1], "x", 1);   /* the parent now writes its own values */
        char b;
        read(go[0], &b, 1);
        ok = ok && all(global, sizeof global, 'G') && all(heap, PAGES * 4096, 'H') && all(stack, sizeof stack, 'S');
        _exit(ok ? 0 : 1);
    }
    char b;
    read(done[0], &b, 1);
    check_true("parent still sees its global", all(global, sizeof global, 'g'));
    check_true("parent still sees its heap", all(heap, PAGES * 4096, 'h'));
    check_true("parent still sees its stack", all(stack, sizeof stack, 's'));
    memset(global, 'p', sizeof global);
    heap[0] = 'p';
    stack[4000] = 'p';
    write(go[1], "x", 1);
    int st;
    waitpid(c, &st, 0);
    check_true("child saw only its own writes", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    check_true("parent sees its own writes", all(global, sizeof global, 'p') && heap[0] == 'p' && stack[4000] == 'p');

    /* Two generations: a grandchild's writes reach neither ancestor. */
    global[0] = 1;
    c = checked_fork();
    if (c == 0) {
        global[0] = 2;
        pid_t g = checked_fork();
        if (g == 0) { global[0] = 3; _exit(global[0]); }
        int gs;
        waitpid(g, &gs, 0);
        _exit(WEXITSTATUS(gs) * 10 + global[0]);
    }
    waitpid(c, &st, 0);
    check_u64("grandchild 3, child 2", WEXITSTATUS(st), 32);
    check_u64("parent's value", global[0], 1);
    return check_done("cow");
}
