/* cross-address-space-call done SPIN's way: the program loads extensions/Examples/CrossCall.cs (system call 1000),
 * forks a server process that creates a port and waits on it, and times calls from the client (this process) to the
 * server and back through the kernel: the call's arguments go straight into the server's registers, its reply
 * straight into the client's a0, and the server replies and waits for the next call in one system call.
 * Row: cross-address-space-call (nanoseconds per round trip).
 * Runs on Spindle only; checks at the end that replies carry the right values and that bad handles, a process
 * without the capability, a dead server and a missing server get their errors (else it exits with the error).
 * usage: xas_call EXTENSION [CALLS] [REPETITIONS]
 *        xas_call EXTENSION unload-check: a child loads the extension; this process's call on a port nobody serves
 *        must fail with ENOSYS once the child (and with it the extension) is gone. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "benchtime.h"
#include "spindle.h"

#define NAME 0x5350494eL          /* the port's name in the extension's registry */
enum { OP_ADD, OP_DIE, OP_SIGNAL }; /* x: add y and z and reply; end the server while serving; signal the
                                      * caller (SIGUSR1), then reply as OP_ADD 20 ms later */

static volatile int usr1_caught;
static void on_usr1(int sig) { (void)sig; usr1_caught++; }

/* Exits with MESSAGE unless GOT == WANT. */
static void expect(long got, long want, const char *message)
{
    if (got != want) { fprintf(stderr, "error %s: got %ld, expected %ld\n", message, got, want); exit(1); }
}

/* Forks a server that creates port NAME (reporting readiness on a pipe) and, if SERVE, answers calls until one
 * asks it to die; else it exits after a short sleep without ever waiting. Returns its pid once the port exists. */
static pid_t start_server(long name, int serve)
{
    int ready[2];
    if (pipe(ready)) fail("pipe", errno);
    pid_t pid = fork();
    if (pid < 0) fail("fork", errno);
    if (pid == 0) {
        long port = xcall_create(name), args[3];
        if (port < 0) _exit(2);
        if (write(ready[1], "r", 1) != 1) _exit(3);
        if (!serve) { usleep(20000); _exit(0); }
        for (long r = xcall_wait(port, args); r == 0; r = xcall_reply_wait(port, args[1] + args[2], args))
            if (args[0] == OP_DIE) _exit(0);
            else if (args[0] == OP_SIGNAL) { kill(getppid(), SIGUSR1); usleep(20000); }
        _exit(4);
    }
    char b;
    if (read(ready[0], &b, 1) != 1) fail("server did not create its port", EPIPE);
    close(ready[0]);
    close(ready[1]);
    return pid;
}

/* A process without the capability: the parent's handle number means nothing in a forked child (-EBADF) until it
 * connects by name; it may call but not serve a port it does not own. Exits 0 if all holds. */
static void check_capability_in_child(long handle)
{
    pid_t pid = fork();
    if (pid < 0) fail("fork", errno);
    if (pid == 0) {
        if (xcall_call(handle, OP_ADD, 1, 2) != -EBADF) _exit(1);
        long mine = xcall_connect(NAME), args[3];
        if (mine < 0 || xcall_call(mine, OP_ADD, 40, 2) != 42) _exit(2);
        if (xcall_wait(mine, args) != -EPERM) _exit(3);
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) fail("waitpid", errno);
    expect(WIFEXITED(status) ? WEXITSTATUS(status) : 100, 0, "capability check in a child (1 forged handle, 2 connect, 3 serve)");
}

/* A signal while a call waits: with SA_RESTART the call goes on waiting and gets its reply; without, it fails with
 * EINTR and the next call is not confused with it (the late reply to the interrupted call is dropped). */
static void check_signals(long port)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL)) fail("sigaction", errno);
    expect(xcall_call(port, OP_SIGNAL, 20, 1), 21, "call interrupted by a SA_RESTART handler");
    sa.sa_flags = 0;
    if (sigaction(SIGUSR1, &sa, NULL)) fail("sigaction", errno);
    expect(xcall_call(port, OP_SIGNAL, 30, 1), -EINTR, "call interrupted by a handler without SA_RESTART");
    expect(xcall_call(port, OP_ADD, 2, 3), 5, "call after an interrupted one");
    expect(usr1_caught, 2, "SIGUSR1 handler runs during the calls");
}

/* The extension is unloaded with the program that loaded it: a call blocked in it must not wait for ever. A child
 * loads it; this process creates a port of its own (so the port outlives the child) and calls it with nobody
 * serving: the call waits in the extension until the child exits and takes the extension with it. */
static int unload_check(const char *extension)
{
    int ready[2];
    if (pipe(ready)) fail("pipe", errno);
    pid_t loader = fork();
    if (loader < 0) fail("fork", errno);
    if (loader == 0) {
        if (spindle_ext_load(extension) < 0) _exit(2);
        if (write(ready[1], "r", 1) != 1) _exit(3);
        usleep(20000);
        _exit(0);
    }
    char b;
    if (read(ready[0], &b, 1) != 1) fail("the loader did not load the extension", EPIPE);
    long port = xcall_create(NAME);
    if (port < 0) fail("create (call 1020)", (int)-port);
    expect(xcall_call(port, OP_ADD, 1, 1), -ENOSYS, "call blocked in an extension that was unloaded");
    if (waitpid(loader, NULL, 0) != loader) fail("waitpid", errno);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "error usage: xas_call EXTENSION [CALLS] [REPETITIONS]\n"); return 1; }
    if (argc > 2 && strcmp(argv[2], "unload-check") == 0) return unload_check(argv[1]);
    long n = arg_count(argc, argv, 2, 2000), reps = arg_count(argc, argv, 3, 5);
    if (spindle_ext_load(argv[1]) < 0) fail(argv[1], errno);
    pid_t server = start_server(NAME, 1);
    long port = xcall_connect(NAME);
    if (port < 0) fail("connect (call 1021)", (int)-port);

    for (long r = 0; r <= reps; r++) {    /* repetition 0 is the warm-up */
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) {
            long v = xcall_call(port, OP_ADD, i, r);
            if (v != i + r) expect(v, i + r, "call (1022) reply");
        }
        if (r > 0) report("cross-address-space-call", now_ns() - t0, n);
    }

    /* Self-check: bad and stale handles, a process without the capability, a dead server, no server. */
    expect(xcall_call(port + (1L << 16), OP_ADD, 1, 1), -EBADF, "call with a handle of the wrong generation");
    expect(xcall_call(12345, OP_ADD, 1, 1), -EBADF, "call with a forged handle");
    long second = xcall_connect(NAME);
    expect(xcall_call(second, OP_ADD, 2, 3), 5, "call through a second handle");
    expect(xcall_close(second), 0, "close");
    expect(xcall_call(second, OP_ADD, 2, 3), -EBADF, "call with a closed handle");
    expect(xcall_close(second), -EBADF, "second close of a handle");
    expect(xcall_create(NAME), -EADDRINUSE, "create of a name in use");
    check_capability_in_child(port);
    check_signals(port);
    expect(xcall_call(port, OP_DIE, 0, 0), -EPIPE, "call whose server died serving it");
    if (waitpid(server, NULL, 0) != server) fail("waitpid", errno);
    expect(xcall_call(port, OP_ADD, 1, 1), -ECONNREFUSED, "call on the port of a dead server");
    expect(xcall_connect(NAME), -ECONNREFUSED, "connect to a dead server's name");
    expect(xcall_connect(NAME + 1), -ECONNREFUSED, "connect to a name nobody created");

    server = start_server(NAME + 2, 0);   /* never waits, exits while our call is queued */
    long idle = xcall_connect(NAME + 2);
    expect(xcall_call(idle, OP_ADD, 1, 1), -ECONNREFUSED, "call queued on a server that exited without serving");
    if (waitpid(server, NULL, 0) != server) fail("waitpid", errno);
    return 0;
}
