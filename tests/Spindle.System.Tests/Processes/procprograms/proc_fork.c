#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <signal.h>
#include <string.h>
int counter = 10;
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t me = getpid();
    pid_t c = fork();
    if (c == 0) {
        counter++;
        printf("child: counter=%d ppid-ok=%d\n", counter, getppid() == me);
        exit(7);
    }
    int st = 0;
    pid_t w = waitpid(c, &st, 0);
    printf("parent: counter=%d waited-ok=%d exited=%d status=%d\n", counter, w == c, WIFEXITED(st), WEXITSTATUS(st));
    c = fork();
    if (c == 0) { *(volatile int *)0 = 1; return 0; }
    w = wait(&st);
    printf("signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
    printf("wait again: %d\n", (int)wait(&st));
    for (int i = 0; i < 3; i++) if (fork() == 0) { usleep(1000 * (3 - i)); _exit(i); }
    int sum = 0;
    for (int i = 0; i < 3; i++) { wait(&st); sum += WEXITSTATUS(st); }
    printf("sum=%d\n", sum);
    c = fork();
    if (c == 0) { pause(); _exit(0); }
    kill(c, SIGTERM);
    waitpid(c, &st, 0);
    printf("term: %d %d\n", WIFSIGNALED(st), WTERMSIG(st));
    printf("nohang: %d\n", (int)waitpid(-1, &st, WNOHANG));
    return 3;
}
