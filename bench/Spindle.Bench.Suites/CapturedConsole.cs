using System.Text;
using Spindle.Sdk.Io;

namespace Spindle.Bench.Suites;

/// <summary>A console with no input whose output streams are kept in memory.</summary>
public sealed class CapturedConsole : IConsole
{
    private readonly MemoryStream[] _out = [new(), new()];

    /// <summary>What the program wrote to <paramref name="stream"/> (1 or 2).</summary>
    public string Text(int stream) => Encoding.UTF8.GetString(_out[stream - 1].ToArray());
    public long Read(Span<byte> buffer) => 0;
    public long Write(int stream, ReadOnlySpan<byte> buffer)
    {
        if (stream is not (1 or 2)) return -Errno.EBADF;
        _out[stream - 1].Write(buffer);
        return buffer.Length;
    }
    public bool IsTerminal(int stream) => false;
    public int GetTerminalAttributes(int stream, Span<byte> termios) => -Errno.ENOTTY;
    public int GetWindowSize(int stream, Span<byte> winsize) => -Errno.ENOTTY;
    public int Stat(int stream, out FileStatus status) { status = default; return -Errno.EBADF; }
    public void Flush() { }
}
