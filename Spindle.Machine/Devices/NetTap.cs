using System.Runtime.InteropServices;

namespace Spindle.Machine.Devices;

/// <summary>
/// A <see cref="Nic"/> backend on a host TAP device (<c>/dev/net/tun</c>, IFF_TAP | IFF_NO_PI): the host's own
/// network stack is at the other end. Two host threads do the I/O: a reader polls the device and delivers each
/// frame it reads into the card, a writer sends what the card queued when kicked (<see cref="NetHostBackend"/>).
/// <para>
/// Contract. <see cref="Open"/> attaches to (or creates) the interface; it fails with the host's reason (no
/// /dev/net/tun, no permission, a name in use by a non-TAP device) before any thread starts. The interface's
/// address and state are the host's business (<c>ip addr</c>, <c>ip link set up</c>). Linux hosts only.
/// </para>
/// </summary>
public sealed unsafe partial class NetTap : NetHostBackend
{
    private const uint TUNSETIFF = 0x400454ca;
    private const short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000;
    private const int O_RDWR = 2, O_CLOEXEC = 0x80000, POLLIN = 1, EINTR = 4, EAGAIN = 11;

    private readonly int _fd;

    private NetTap(int fd, string name) : base($"tap:{name}") => _fd = fd;

    /// <summary>Opens TAP interface <paramref name="name"/>; null and the host's reason in <paramref name="error"/> if it cannot.</summary>
    public static NetTap? Open(string name, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(name) || name.Length > 15 || name.Any(c => c is '/' or <= ' ' or > '~'))
        { error = $"tap:{name}: an interface name is 1..15 printable characters"; return null; }
        int fd;
        fixed (byte* path = "/dev/net/tun\0"u8) fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) { error = $"/dev/net/tun: {Marshal.GetLastPInvokeErrorMessage()}"; return null; }
        byte* ifreq = stackalloc byte[40];
        new Span<byte>(ifreq, 40).Clear();
        for (int i = 0; i < name.Length; i++) ifreq[i] = (byte)name[i];
        *(short*)(ifreq + 16) = IFF_TAP | IFF_NO_PI;
        if (ioctl(fd, TUNSETIFF, ifreq) < 0)
        {
            error = $"tap:{name}: TUNSETIFF: {Marshal.GetLastPInvokeErrorMessage()}";
            close(fd);
            return null;
        }
        return new NetTap(fd, name);
    }

    // Reader thread: poll (a tenth of a second at most, to see a stop), read one frame, deliver it.
    protected override void Read(Nic nic)
    {
        var buffer = new byte[65536];
        var poll = new PollFd { Fd = _fd, Events = POLLIN };
        fixed (byte* b = buffer)
            while (!Stopping)
            {
                poll.Revents = 0;
                if (PollFds(&poll, 1, 100) <= 0) continue;
                long n = read(_fd, b, (nuint)buffer.Length);
                if (n < 0) { int e = Marshal.GetLastPInvokeError(); if (e is EINTR or EAGAIN) continue; CountError(); Thread.Sleep(10); continue; }
                if (!nic.Deliver(buffer.AsSpan(0, (int)n))) CountError();
            }
    }

    protected override bool Send(ReadOnlySpan<byte> frame)
    {
        long n;
        fixed (byte* f = frame) do n = write(_fd, f, (nuint)frame.Length); while (n < 0 && Marshal.GetLastPInvokeError() == EINTR);
        return n >= 0;
    }

    protected override void Close() => close(_fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd { public int Fd; public short Events, Revents; }

    [LibraryImport("libc", SetLastError = true)] private static partial int open(byte* path, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int ioctl(int fd, nuint request, byte* arg);
    [LibraryImport("libc", SetLastError = true)] private static partial nint read(int fd, byte* buf, nuint count);
    [LibraryImport("libc", SetLastError = true)] private static partial nint write(int fd, byte* buf, nuint count);
    [LibraryImport("libc", SetLastError = true)] private static partial int close(int fd);
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)] private static partial int PollFds(PollFd* fds, nuint count, int timeout);
}
