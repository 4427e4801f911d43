/* pipe_eof: a child writes 200000 bytes (more than a pipe holds, so it blocks and resumes) and exits; the
 * parent reads everything and then EOF. With two writers EOF comes only after both close. */
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

#define TOTAL 200000

/* Forks a child that writes TOTAL pattern bytes seeded by seed into fd w, closes and exits. */
static pid_t writer(int fds[2], int seed)
{
    pid_t c = checked_fork();
    if (c == 0) {
        close(fds[0]);
        char buf[3000];
        for (int sent = 0; sent < TOTAL; ) {
            int n = TOTAL - sent < (int)sizeof buf ? TOTAL - sent : (int)sizeof buf;
            for (int i = 0; i < n; i++) buf[i] = (char)((sent + i) * seed);
            for (int off = 0; off < n; ) off += (int)write(fds[1], buf + off, n - off);
            sent += n;
        }
        _exit(0);
    }
    return c;
}

int main(void)
{
    int p[2];
    pipe(p);
    pid_t c = writer(p, 3);
    close(p[1]);
    static char buf[TOTAL + 1];
    long got = 0, bad = 0;
    for (;;) {
        ssize_t n = read(p[0], buf + got, sizeof buf - got);
        if (n <= 0) break;
        got += n;
    }
    for (long i = 0; i < got; i++) if (buf[i] != (char)(i * 3)) bad++;
    check_u64("bytes before EOF", got, TOTAL);
    check_u64("bytes out of order", bad, 0);
    check_u64("read at EOF again", read(p[0], buf, 1), 0);
    waitpid(c, NULL, 0);
    close(p[0]);

    pipe(p);
    pid_t a = writer(p, 1), b = writer(p, 1);
    close(p[1]);
    long total = 0;
    for (ssize_t n; (n = read(p[0], buf, sizeof buf)) > 0; ) total += n;
    check_u64("two writers: bytes before EOF", total, 2 * TOTAL);
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);
    return check_done("pipe_eof");
}
