namespace Spindle.Sdk.Io;

/// <summary>
/// The host's standard streams 0 (input), 1 (output), 2 (error). Output is buffered, in order
/// across both output streams, and flushed before any read and by <see cref="Flush"/>.
/// Results are byte counts or a negated <see cref="Errno"/>.
/// Input may be non-blocking: <see cref="TryRead"/> answers -EAGAIN while nothing has arrived and the
/// handlers given to <see cref="WatchInput"/> run (on the CPU's thread) when something does. A console
/// that cannot signal arrival keeps the defaults: its input is always "available" and reads wait.
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

    /// <summary>
    /// lseek on host stream <paramref name="stream"/>: the new offset, or -ESPIPE where the stream cannot seek
    /// (a terminal, a pipe), as Linux answers. The default: no stream seeks.
    /// </summary>
    long Seek(int stream, long offset, SeekWhence whence) => -Errno.ESPIPE;

    /// <summary>Writes out everything buffered.</summary>
    void Flush();

    /// <summary>True if <see cref="TryRead"/> would not answer -EAGAIN (input or end of file is there).</summary>
    bool InputAvailable => true;

    /// <summary>
    /// Reads from stream 0 without waiting: the byte count, 0 at end of file, or -EAGAIN if nothing has
    /// arrived yet (only a console whose <see cref="WatchInput"/> accepted a handler answers -EAGAIN).
    /// </summary>
    long TryRead(Span<byte> buffer) => Read(buffer);

    /// <summary>
    /// Asks for <paramref name="handler"/> to run on the CPU's thread each time input or end of file
    /// arrives. Returns false if this console cannot signal arrival (then <see cref="TryRead"/> waits).
    /// </summary>
    bool WatchInput(Action handler) => false;
}
