namespace Spindle.Kernel.Services;

/// <summary>The host process's identity, which a program run like qemu-user sees as its own.</summary>
public static class HostIdentity
{
    public static int Pid => System.Environment.ProcessId;
    public static int ParentPid => Libc.getppid();
    public static uint Uid => Libc.getuid();
    public static uint Gid => Libc.getgid();

    /// <summary>The environment this process was started with, in its original order ("NAME=value").</summary>
    public static IReadOnlyList<string> InitialEnvironment()
    {
        try
        {
            byte[] raw = File.ReadAllBytes("/proc/self/environ");
            return System.Text.Encoding.UTF8.GetString(raw).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables()) list.Add($"{e.Key}={e.Value}");
        return list;
    }
}
