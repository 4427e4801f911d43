using System;

namespace Spindle.Extensions.Linux.Files;

/// <summary>Byte-string path helpers.</summary>
internal static class Paths
{
    /// <summary><paramref name="directory"/> + "/" + <paramref name="name"/> (one slash).</summary>
    public static byte[] Join(byte[] directory, ReadOnlySpan<byte> name)
    {
        bool slash = directory.Length > 0 && directory[^1] == '/';
        var path = new byte[directory.Length + (slash ? 0 : 1) + name.Length];
        directory.CopyTo(path, 0);
        if (!slash) path[directory.Length] = (byte)'/';
        name.CopyTo(path.AsSpan(path.Length - name.Length));
        return path;
    }
}
