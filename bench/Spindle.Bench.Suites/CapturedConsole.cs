using System.Text;
using Spindle.Sdk.Io;

namespace Spindle.Bench.Suites;

/// <summary>A console whose input is given bytes (none by default) and whose output streams are kept in memory.</summary>
/// <param name="input">What reads of stream 0 return, then end of input.</param>
public sealed class CapturedConsole(byte[]? input = null) : IConsole
{
    private readonly MemoryStream[] _out = [new(), new()];
    private readonly MemoryStream _in = new(input ?? [], writable: false);

    /// <summary>What the program wrote to <paramref name="stream"/> (1 or 2).</summary>
    public string Text(int stream) => Encoding.UTF8.GetString(_out[stream - 1].ToArray());
    public long Read(Span<byte> buffer) => _in.Read(buffer);
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
