/* sh: a small shell. Reads commands from stdin one line at a time (byte by byte, so that programs it runs
 * see the rest of stdin) and runs them: words with '...' and "..." quoting and \ escapes, $? (the last
 * status), pipelines a | b | c, redirections < > >>, # comments, builtins cd [dir] and exit [n]. Programs
 * are found on $PATH (default /bin) unless the name has a '/'. When stdin is a tty the shell prints a
 * prompt and ignores SIGINT and SIGQUIT (^C ends the running program, not the shell); its children get the
 * default actions back.
 * Exits with the last command's status at end of input. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_LINE 4096
#define MAX_WORDS 256
#define MAX_CMDS 16

enum kind { WORD, PIPE, IN, OUT, APPEND };
struct token { enum kind kind; char *text; };
struct command { char *argv[MAX_WORDS + 1]; int argc; char *in, *out; int append; };

static int last_status;

/* Reads one line of fd 0 into buf without its newline. Returns its length, or -1 at end of input with
 * nothing read. A line longer than size-1 is cut (the rest is read and dropped). */
static int read_line(char *buf, int size)
{
    int n = 0, got = 0;
    char c;
    for (;;) {
        ssize_t r = read(0, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got = 1;
        if (c == '\n') break;
        if (n < size - 1) buf[n++] = c;
    }
    buf[n] = 0;
    return got ? n : -1;
}

/* Splits line into tokens, writing word texts into arena (at least 2*MAX_LINE+32 bytes). Returns the
 * number of tokens, or -1 after printing an error (unterminated quote, too many words). */
static int tokenize(const char *line, struct token *toks, char *arena)
{
    int n = 0;
    const char *p = line;
    char *out = arena;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') return n;
        if (n == MAX_WORDS) { fprintf(stderr, "sh: too many words\n"); return -1; }
        if (*p == '|') { toks[n++] = (struct token){ PIPE, NULL }; p++; continue; }
        if (*p == '<') { toks[n++] = (struct token){ IN, NULL }; p++; continue; }
        if (*p == '>') {
            int app = p[1] == '>';
            toks[n++] = (struct token){ app ? APPEND : OUT, NULL };
            p += 1 + app;
            continue;
        }
        toks[n++] = (struct token){ WORD, out };
        while (*p && !strchr(" \t|<>", *p)) {
            char q = *p;
            if (q == '\'' || q == '"') {
                const char *end = strchr(p + 1, q);
                if (!end) { fprintf(stderr, "sh: unterminated %c\n", q); return -1; }
                for (p++; p < end; p++) {
                    if (q == '"' && p[0] == '$' && p[1] == '?') { out += sprintf(out, "%d", last_status); p++; }
                    else *out++ = *p;
                }
                p++;
            } else if (q == '\\' && p[1]) {
                *out++ = p[1];
                p += 2;
            } else if (q == '$' && p[1] == '?') {
                out += sprintf(out, "%d", last_status);
                p += 2;
            } else {
                *out++ = *p++;
            }
        }
        *out++ = 0;
    }
}

/* Groups tokens into a pipeline of commands. Returns the number of commands (0 for an empty line), or -1
 * after printing a syntax error. */
static int parse(struct token *toks, int ntok, struct command *cmds)
{
    int nc = 0;
    struct command *c = NULL;
    for (int i = 0; i < ntok; i++) {
        if (!c) {
            if (nc == MAX_CMDS) { fprintf(stderr, "sh: pipeline too long\n"); return -1; }
            c = &cmds[nc++];
            memset(c, 0, sizeof *c);
        }
        switch (toks[i].kind) {
        case WORD: c->argv[c->argc++] = toks[i].text; break;
        case PIPE:
            if (c->argc == 0) { fprintf(stderr, "sh: syntax error near '|'\n"); return -1; }
            c = NULL;
            break;
        default:
            if (i + 1 >= ntok || toks[i + 1].kind != WORD) { fprintf(stderr, "sh: redirection without a file\n"); return -1; }
            if (toks[i].kind == IN) c->in = toks[i + 1].text;
            else { c->out = toks[i + 1].text; c->append = toks[i].kind == APPEND; }
            i++;
        }
    }
    if (nc > 0 && (!c || c->argc == 0)) { fprintf(stderr, "sh: syntax error: empty command\n"); return -1; }
    return nc;
}

/* Runs the builtin named by c->argv[0] if there is one; returns 1 if it was a builtin. */
static int builtin(struct command *c)
{
    if (strcmp(c->argv[0], "exit") == 0) {
        exit(c->argc > 1 ? atoi(c->argv[1]) & 0xff : last_status);
    }
    if (strcmp(c->argv[0], "cd") == 0) {
        const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME") ? getenv("HOME") : "/";
        last_status = 0;
        if (chdir(dir) < 0) { fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno)); last_status = 1; }
        return 1;
    }
    return 0;
}

/* In a forked child: applies c's redirections, then execs it from $PATH. Never returns. */
static void exec_command(struct command *c)
{
    if (c->in) {
        int fd = open(c->in, O_RDONLY);
        if (fd < 0) { fprintf(stderr, "sh: %s: %s\n", c->in, strerror(errno)); _exit(1); }
        dup2(fd, 0); close(fd);
    }
    if (c->out) {
        int fd = open(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 0666);
        if (fd < 0) { fprintf(stderr, "sh: %s: %s\n", c->out, strerror(errno)); _exit(1); }
        dup2(fd, 1); close(fd);
    }
    c->argv[c->argc] = NULL;
    extern char **environ;
    if (strchr(c->argv[0], '/')) {
        execve(c->argv[0], c->argv, environ);
    } else {
        const char *path = getenv("PATH") ? getenv("PATH") : "/bin";
        char full[MAX_LINE];
        int err = ENOENT;
        for (const char *p = path; *p; ) {
            size_t len = strcspn(p, ":");
            snprintf(full, sizeof full, "%.*s/%s", (int)len, p, c->argv[0]);
            execve(full, c->argv, environ);
            if (errno != ENOENT) err = errno;
            p += len + (p[len] == ':');
        }
        errno = err;
    }
    int e = errno;
    fprintf(stderr, "sh: %s: %s\n", c->argv[0], e == ENOENT ? "not found" : strerror(e));
    _exit(e == ENOENT ? 127 : 126);
}

/* Runs a pipeline of nc commands and sets last_status to the last one's status (128+N if killed by N). */
static void run_pipeline(struct command *cmds, int nc)
{
    if (nc == 1 && builtin(&cmds[0])) return;
    pid_t pids[MAX_CMDS];
    int in = -1;
    for (int i = 0; i < nc; i++) {
        int fds[2] = { -1, -1 };
        if (i + 1 < nc && pipe(fds) < 0) { perror("sh: pipe"); nc = i; break; }
        pid_t pid = fork();
        if (pid < 0) { perror("sh: fork"); if (fds[0] >= 0) { close(fds[0]); close(fds[1]); } nc = i; break; }
        if (pid == 0) {
            signal(SIGINT, SIG_DFL);
            signal(SIGQUIT, SIG_DFL);
            if (in >= 0) { dup2(in, 0); close(in); }
            if (fds[1] >= 0) { dup2(fds[1], 1); close(fds[1]); close(fds[0]); }
            exec_command(&cmds[i]);
        }
        pids[i] = pid;
        if (in >= 0) close(in);
        if (fds[1] >= 0) close(fds[1]);
        in = fds[0];
    }
    if (in >= 0) close(in);
    for (int i = 0; i < nc; i++) {
        int status;
        while (waitpid(pids[i], &status, 0) < 0)
            if (errno != EINTR) { perror("sh: waitpid"); status = 1 << 8; break; }
        if (i == nc - 1) last_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}

int main(void)
{
    static char line[MAX_LINE], arena[2 * MAX_LINE + 32];
    static struct token toks[MAX_WORDS];
    static struct command cmds[MAX_CMDS];
    int tty = isatty(0);
    if (tty) {
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
    }
    for (;;) {
        if (tty) { fputs("$ ", stderr); fflush(stderr); }
        if (read_line(line, sizeof line) < 0) break;
        int nt = tokenize(line, toks, arena);
        int nc = nt < 0 ? -1 : parse(toks, nt, cmds);
        if (nc < 0) { last_status = 2; continue; }
        if (nc > 0) run_pipeline(cmds, nc);
    }
    return last_status;
}
