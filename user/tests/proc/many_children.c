/* many_children: 50 live children at once, each blocked on a pipe until released, then exiting with its
 * index; the parent collects every status exactly once with wait(). */
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

#define N 50

int main(void)
{
    int gate[2];
    pipe(gate);
    pid_t pids[N];
    for (int i = 0; i < N; i++) {
        pids[i] = checked_fork();
        if (pids[i] == 0) {
            char b;
            close(gate[1]);
            read(gate[0], &b, 1);  /* EOF once the parent closes the write end */
            _exit(i);
        }
    }
    close(gate[1]);
    unsigned long long seen = 0;
    int dup = 0, stray = 0;
    for (int k = 0; k < N; k++) {
        int st;
        pid_t w = wait(&st);
        int i = WEXITSTATUS(st);
        if (w < 0 || i >= N || pids[i] != w) { stray++; continue; }
        if (seen & (1ull << i)) dup++;
        seen |= 1ull << i;
    }
    check_u64("children collected", seen, (1ull << N) - 1);
    check_u64("duplicates", dup, 0);
    check_u64("statuses not matching their pid", stray, 0);
    check_true("no child left", wait(NULL) == -1);
    return check_done("many_children");
}
