using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Net;

/// <summary>
/// Runs a shell script inside a network namespace of the test's own (<c>unshare -rn</c>: nothing leaves it) where
/// tap0 is up at 10.0.2.2/24 and <c>spindle run --net tap:tap0 --ip 10.0.2.15/24 [OPTIONS] PROGRAM ARGS</c> runs in
/// the background as $SP, already answering ping (a program that sleeps 300 s unless given). The script's own lines
/// follow; it ends by killing $SP.
/// </summary>
internal static class TapNamespace
{
    // The link: tap0 up at 10.0.2.2/24 inside the namespace.
    private const string Link = """
        set -u
        ip link set lo up
        ip tuntap add dev tap0 mode tap
        ip addr add 10.0.2.2/24 dev tap0
        ip link set tap0 up

        """;

    // $1 dotnet, $2 spindle.dll, $3 where spindle's output goes, then spindle's further options, the program and its arguments.
    private const string StartSpindle = """
        DOTNET=$1; SPINDLE=$2; LOG=$3; shift 3
        "$DOTNET" "$SPINDLE" run --net tap:tap0 --ip 10.0.2.15/24 "$@" > "$LOG" 2>&1 &
        SP=$!
        i=0
        until ping -c 1 -W 1 10.0.2.15 > /dev/null 2>&1; do
          i=$((i + 1))
          if [ $i -ge 180 ] || ! kill -0 $SP 2> /dev/null; then echo "spindle never answered ping"; kill $SP 2> /dev/null; exit 1; fi
        done

        """;

    /// <summary>Runs <paramref name="script"/> in a namespace of its own with only the link up (tap0 at 10.0.2.2/24);
    /// <paramref name="args"/> are the script's $1, $2, ...</summary>
    public static RunResult RunOnLink(string script, TimeSpan timeout, params string[] args)
    {
        string unshare = Tools.Require("unshare", "util-linux");
        Tools.Require("ip", "iproute2");
        Tools.Require("ping", "iputils-ping");
        Tools.Require("python3", "python3-minimal");
        return ProcessRunner.Run(unshare, ["-rn", "sh", "-c", Link + script, "sh", .. args], [], null, timeout);
    }

    /// <summary>
    /// Runs <paramref name="script"/> after the link is up and Spindle answers ping, with <paramref name="spindleArgs"/> after spindle's network
    /// options (further options, the program, its arguments; null: a program that sleeps 300 s); the run, what Spindle
    /// printed, and what to say if it failed.
    /// </summary>
    public static (RunResult Result, string SpindleOutput, string Why) Run(string script, TimeSpan timeout, IReadOnlyList<string>? spindleArgs = null)
    {
        spindleArgs ??= [CrossCompiler.Compile(Path.Combine(Repo.Root, "tests", "Spindle.System.Tests", "Net", "programs", "sleeper.c")), "300"];
        string log = Path.Combine(Path.GetTempPath(), $"spindle-net-{Guid.NewGuid():N}.log");
        try
        {
            var r = RunOnLink(StartSpindle + script, timeout, [SpindleRunner.DotnetHost(), SpindleRunner.Dll, log, .. spindleArgs]);
            string output = File.Exists(log) ? File.ReadAllText(log) : "";
            return (r, output, $"{r.Describe("unshare")}\nspindle: {(output.Length > 0 ? output : "(no output)")}");
        }
        finally { File.Delete(log); }
    }
}
