using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Tests.Extensions;
using Spindle.Sdk.Trap;
using Spindle.Sdk.Translation;

namespace Spindle.Kernel.Tests.Trap;

/// <summary>
/// The lifecycle events in a running kernel: the personality raises ProcessEnded once per process with its exit
/// status; the kernel raises SpaceReleased once per address space, including the image an execve replaces, and a
/// program's extensions are unloaded with its address space.
/// </summary>
public sealed class LifecycleEventsTests : IDisposable
{
    // Three children: one exits 3, one is killed by SIGKILL (its status is 128 + 9), one runs execve on this program
    // ("again") and exits 5 from the new image. The parent reaps them and exits 7.
    private const string Source = """
        #include <signal.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        #include <sys/wait.h>
        int main(int argc, char **argv)
        {
            if (argc > 1 && strcmp(argv[1], "again") == 0) return 5;
            pid_t a = fork();
            if (a == 0) _exit(3);
            pid_t b = fork();
            if (b == 0) { for (;;) pause(); }
            pid_t c = fork();
            if (c == 0) { execl(argv[0], argv[0], "again", (char *)0); _exit(99); }
            kill(b, SIGKILL);
            int status, reaped = 0;
            while (wait(&status) > 0) reaped++;
            return reaped == 3 ? 7 : 1;
        }
        """;

    private readonly ProgramKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    [Fact]
    public void EachProcessEndsOnce_AndEachAddressSpaceIsReleasedOnce()
    {
        var ended = new List<ProcessEnd>();
        var released = new List<TranslationContext>();
        var owner = new KernelOwner("lifecycle-test");
        var kernel = _kernel.Kernel;
        kernel.Dispatcher.Install(owner, kernel.Lifecycle.ProcessEnded, e => { ended.Add(e); return false; });
        kernel.Dispatcher.Install(owner, kernel.Lifecycle.SpaceReleased, c => { released.Add(c); return false; });

        Assert.Equal(7, _kernel.Run(Source));

        Assert.Equal(4, ended.Count);
        Assert.Equal(4, ended.Select(e => e.Pid).Distinct().Count());
        Assert.Equal([3, 5, 7, 128 + 9], ended.Select(e => e.ExitStatus).Order());
        Assert.All(ended, e => Assert.NotNull(e.Context));
        // Four processes, one of which replaced its image: five address spaces, each released once, each before
        // its frames went (the context was still alive when the handlers ran: it is destroyed now).
        Assert.Equal(5, released.Count);
        Assert.Equal(5, released.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.All(released, c => Assert.True(c.Destroyed));
        Assert.All(ended, e => Assert.Contains(e.Context!, released));
    }
}
