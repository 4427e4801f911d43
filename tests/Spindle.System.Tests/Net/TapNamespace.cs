using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Net;

/// <summary>
/// Runs a shell script in a network namespace of the test's own (<c>unshare -rn</c>: nothing leaves it) after a
/// prelude that makes tap0 at 10.0.2.2/24, starts <c>spindle run --net tap:tap0 --ip 10.0.2.15/24</c> on a
/// sleeping program, and waits until Spindle answers ping; the script ends by killing it (<c>$SP</c>).
/// </summary>
internal static class TapNamespace
{
    // $1 dotnet, $2 spindle.dll, $3 the sleeping program, $4 where spindle's output goes.
    private const string Prelude = """
        set -u
        ip link set lo up
        ip tuntap add dev tap0 mode tap
        ip addr add 10.0.2.2/24 dev tap0
        ip link set tap0 up
        "$1" "$2" run --net tap:tap0 --ip 10.0.2.15/24 "$3" 300 > "$4" 2>&1 &
        SP=$!
        i=0
        until ping -c 1 -W 1 10.0.2.15 > /dev/null 2>&1; do
          i=$((i + 1))
          if [ $i -ge 180 ] || ! kill -0 $SP 2> /dev/null; then echo "spindle never answered ping"; kill $SP 2> /dev/null; exit 1; fi
        done

        """;

    /// <summary>Runs the prelude, then <paramref name="body"/>; the result, and what to say if it failed (spindle's output included).</summary>
    public static (RunResult Result, string Why) Run(string body, TimeSpan timeout)
    {
        string unshare = Tools.Require("unshare", "util-linux");
        Tools.Require("ip", "iproute2");
        Tools.Require("ping", "iputils-ping");
        Tools.Require("python3", "python3-minimal");
        string program = CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Net", "programs", "sleeper.c"));
        string log = Path.Combine(Path.GetTempPath(), $"spindle-net-{Guid.NewGuid():N}.log");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host : Tools.Require("dotnet", "the .NET SDK");
        try
        {
            var r = ProcessRunner.Run(unshare, ["-rn", "sh", "-c", Prelude + body, "sh", dotnet, SpindleRunner.Dll, program, log], [], null, timeout);
            return (r, $"{r.Describe("unshare")}\nspindle: {(File.Exists(log) ? File.ReadAllText(log) : "(no output)")}");
        }
        finally { File.Delete(log); }
    }
}
