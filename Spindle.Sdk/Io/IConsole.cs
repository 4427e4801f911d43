namespace Spindle.Sdk.Io;

/// <summary>
/// The host's standard streams 0 (input), 1 (output), 2 (error). Output is buffered, in order
/// across both output streams, and flushed before any read and by <see cref="Flush"/>.
/// Results are byte counts or a negated <see cref="Errno"/>.
/// </summary>
public interface IConsole
{
    /// <summary>Reads from stream 0 (blocks until input, end of file gives 0).</summary>
    long Read(Span<byte> buffer);

    /// <summary>Writes to stream 1 or 2.</summary>
    long Write(int stream, ReadOnlySpan<byte> buffer);

    /// <summary>True if host stream <paramref name="stream"/> is a terminal.</summary>
    bool IsTerminal(int stream);

    /// <summary>Copies the terminal settings (Linux struct termios, 36 bytes) of a terminal stream; -ENOTTY if it is not one.</summary>
    int GetTerminalAttributes(int stream, Span<byte> termios);

    /// <summary>Copies the window size (struct winsize, 8 bytes) of a terminal stream; -ENOTTY if it is not one.</summary>
    int GetWindowSize(int stream, Span<byte> winsize);

    /// <summary>Reports the status of host stream <paramref name="stream"/>.</summary>
    int Stat(int stream, out FileStatus status);

    /// <summary>Writes out everything buffered.</summary>
    void Flush();
}
