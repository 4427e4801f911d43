/* Pipes between processes: a reader blocks until its child writes and exits (EOF); a writer with no
   reader dies of SIGPIPE, or gets EPIPE when it ignores the signal; a pipeline of two children. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_DFL);   /* the test host may start us with SIGPIPE ignored */
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        usleep(20000);
        for (int i = 0; i < 3; i++) { char line[32]; int n = snprintf(line, sizeof line, "line %d\n", i); write(p[1], line, n); }
        _exit(0);
    }
    close(p[1]);
    char buf[256];
    int total = 0, n;
    while ((n = read(p[0], buf + total, sizeof buf - 1 - total)) > 0) total += n;
    buf[total] = 0;
    close(p[0]);
    int st;
    waitpid(c, &st, 0);
    printf("read %d bytes:\n%s", total, buf);

    pipe(p);
    c = fork();
    if (c == 0) { close(p[0]); usleep(20000); write(p[1], "x", 1); _exit(0); }
    close(p[0]);
    close(p[1]);
    waitpid(c, &st, 0);
    printf("writer without reader: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));

    signal(SIGPIPE, SIG_IGN);
    pipe(p);
    close(p[0]);
    errno = 0;
    printf("ignored: %zd %s\n", write(p[1], "x", 1), strerror(errno));
    close(p[1]);

    pipe(p);
    pid_t a = fork();
    if (a == 0) { dup2(p[1], 1); close(p[0]); close(p[1]); printf("through the pipeline\n"); _exit(0); }
    pid_t b = fork();
    if (b == 0) {
        dup2(p[0], 0); close(p[0]); close(p[1]);
        char in[64]; ssize_t k = 0, n;   /* read to end of file: a pipe may hand the bytes over in pieces */
        while (k < (ssize_t)sizeof in && (n = read(0, in + k, sizeof in - k)) > 0) k += n;
        printf("b got %zd: %.*s", k, (int)k, in);
        _exit(0);
    }
    close(p[0]); close(p[1]);
    waitpid(a, &st, 0);
    waitpid(b, &st, 0);
    printf("done\n");
    return 0;
}
