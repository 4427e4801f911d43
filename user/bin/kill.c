/* kill [-SIGNAL] PID...: sends SIGNAL (a number or a name such as TERM or SIGUSR1; default TERM) to each
 * PID (a negative PID names a process group). Exits 1 if any kill failed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; int sig; } names[] = {
    { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 },
    { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
    { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
};

/* Returns the signal named s (with or without "SIG", or a number), or -1. */
static int parse_signal(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s && !*end) return n >= 0 && n < 65 ? (int)n : -1;
    if (strncmp(s, "SIG", 3) == 0) s += 3;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) return names[i].sig;
    return -1;
}

int main(int argc, char **argv)
{
    int i = 1, sig = SIGTERM, rc = 0;
    if (i < argc && argv[i][0] == '-' && (argv[i][1] < '0' || argv[i][1] > '9' || argc > 2)) {
        const char *s = argv[i][1] == 's' && argv[i][2] == 0 && i + 1 < argc ? argv[++i] : argv[i] + 1;
        if ((sig = parse_signal(s)) < 0) { fprintf(stderr, "kill: %s: unknown signal\n", s); return 2; }
        i++;
    }
    if (i == argc) { fprintf(stderr, "usage: kill [-SIGNAL] PID...\n"); return 2; }
    for (; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (!*argv[i] || *end) { fprintf(stderr, "kill: %s: not a pid\n", argv[i]); rc = 1; continue; }
        if (kill((pid_t)pid, sig) < 0) { fprintf(stderr, "kill: %ld: %s\n", pid, strerror(errno)); rc = 1; }
    }
    return rc;
}
