using Spindle.Extensions.Linux.Abi;
using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Tests.Extensions;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>
/// nanosleep under the continuation model, in a real program: each call enters the personality's handler once
/// (the restart model entered it again at the deadline), a handler without SA_RESTART still gets -EINTR with the
/// time left, and SIGKILL ends a sleeping process at once.
/// </summary>
public sealed class SuspendedSleepTests : IDisposable
{
    private readonly ProgramKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    private const string Source = """
        #include <errno.h>
        #include <signal.h>
        #include <string.h>
        #include <sys/wait.h>
        #include <time.h>
        #include <unistd.h>

        static void on_usr1(int s) { (void)s; }

        int main(void) {
            struct timespec d = { 0, 5000000 }, w = { 0, 20000000 };
            for (int i = 0; i < 3; i++) if (nanosleep(&d, NULL) != 0) return 10;

            int ready[2];
            pipe(ready);
            pid_t c = fork();
            if (c == 0) {
                struct sigaction sa;
                memset(&sa, 0, sizeof sa);
                sa.sa_handler = on_usr1;
                sigaction(SIGUSR1, &sa, NULL);
                write(ready[1], "x", 1);
                struct timespec longer = { 5, 0 }, rem = { 0, 0 };
                int r = nanosleep(&longer, &rem);
                _exit(r == -1 && errno == EINTR && rem.tv_sec >= 3 ? 0 : 1);
            }
            char b;
            read(ready[0], &b, 1);
            nanosleep(&w, NULL);
            kill(c, SIGUSR1);
            int st;
            waitpid(c, &st, 0);
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 11;

            c = fork();
            if (c == 0) { struct timespec forever = { 60, 0 }; nanosleep(&forever, NULL); _exit(1); }
            nanosleep(&w, NULL);
            kill(c, SIGKILL);
            waitpid(c, &st, 0);
            if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) return 12;
            return 0;
        }
        """;

    [Fact]
    public void EachSleepEntersItsHandlerOnceAndSignalsStillInterruptIt()
    {
        int entries = 0;
        _kernel.Kernel.Dispatcher.Install(new KernelOwner("counter"), _kernel.Kernel.Traps.Syscall,
            t => { entries++; return false; }, t => t.Number == Sys.nanosleep || t.Number == Sys.clock_nanosleep);   // glibc's nanosleep is clock_nanosleep
        var started = DateTime.UtcNow;
        Assert.Equal(0, _kernel.Run(Source));
        Assert.Null(_kernel.KernelError);
        Assert.Equal(7, entries);   // parent 3 + 2 + child 1 + child 1: none entered again
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the killed sleeper held the run up");
    }
}
