/* ps: lists processes as "PID PPID STAT CMD", one per line, sorted by pid: pid, ppid and state from
 * /proc/PID/stat (the Linux format "pid (comm) state ppid ..."), the command line from /proc/PID/cmdline
 * (arguments joined by spaces; "[comm]" if it is empty). Exits 1 with a message if there is no /proc. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct proc { int pid, ppid; char state; char cmd[256]; };

static int by_pid(const void *a, const void *b) { return ((const struct proc *)a)->pid - ((const struct proc *)b)->pid; }

/* Reads /proc/PID/stat and cmdline into p. Returns 0, or -1 if the process is gone or the file is malformed. */
static int read_stat(int pid, struct proc *p)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    if (!open || !close || close < open || sscanf(close + 1, " %c %d", &p->state, &p->ppid) != 2) return -1;
    p->pid = pid;
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    f = fopen(path, "r");
    n = f ? fread(p->cmd, 1, sizeof p->cmd - 1, f) : 0;
    if (f) fclose(f);
    while (n > 0 && p->cmd[n - 1] == 0) n--;
    for (size_t i = 0; i < n; i++) if (p->cmd[i] == 0) p->cmd[i] = ' ';
    p->cmd[n] = 0;
    if (n == 0) snprintf(p->cmd, sizeof p->cmd, "[%.*s]", (int)(close - open - 1), open + 1);
    return 0;
}

int main(void)
{
    DIR *d = opendir("/proc");
    if (!d) { fprintf(stderr, "ps: no process list: /proc is not available\n"); return 1; }
    struct proc *ps = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d)); ) {
        if (!isdigit((unsigned char)e->d_name[0])) continue;
        if (n == cap) ps = realloc(ps, (cap = cap ? 2 * cap : 64) * sizeof *ps);
        if (read_stat(atoi(e->d_name), &ps[n]) == 0) n++;
    }
    closedir(d);
    qsort(ps, n, sizeof *ps, by_pid);
    printf("  PID  PPID STAT CMD\n");
    for (size_t i = 0; i < n; i++) printf("%5d %5d %c    %s\n", ps[i].pid, ps[i].ppid, ps[i].state, ps[i].cmd);
    free(ps);
    return 0;
}
