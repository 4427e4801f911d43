using System.Globalization;
using Spindle.Kernel.Boot;
using Spindle.Machine.Devices;

namespace Spindle.Cli;

/// <summary>
/// The frame-buffer options <c>spindle run</c> and <c>spindle boot</c> share: <c>--framebuffer WIDTHxHEIGHT</c> gives
/// the system a frame buffer (exported to extensions, /dev/fb0 for programs), and <c>--framebuffer-png FILE</c>
/// saves what it shows as a PNG when the system stops (and implies a 640x480 buffer if none is given).
/// </summary>
internal sealed class DisplayOptions
{
    /// <summary>The usage text of the options.</summary>
    public const string Usage = "[--framebuffer WxH] [--framebuffer-png FILE]";

    private FramebufferSize? _size;
    private string? _png;

    /// <summary>True if the option at <paramref name="i"/> is one of these (consumed); <paramref name="error"/> if its value is missing or wrong.</summary>
    public bool TryTake(string[] args, ref int i, out string? error)
    {
        error = null;
        if (args[i] is not ("--framebuffer" or "--framebuffer-png")) return false;
        if (i + 1 >= args.Length) { error = $"{args[i]} needs a value"; return true; }
        string value = args[++i];
        if (args[i - 1] == "--framebuffer-png") _png = value;
        else if (Parse(value) is { } size) _size = size;
        else error = $"--framebuffer {value}: expected WIDTHxHEIGHT, each 1..4096";
        return true;
    }

    /// <summary>The frame buffer to build, if any.</summary>
    public FramebufferSize? Size => _size ?? (_png != null ? new FramebufferSize(640, 480) : null);

    /// <summary>Saves the picture if <c>--framebuffer-png</c> asked; a message on standard error if it cannot.</summary>
    public void Save(RunningSystem system, string command)
    {
        if (_png == null || system.Kernel.Framebuffer is not { } framebuffer) return;
        try { PngSnapshot.Save(framebuffer.Device, _png); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"spindle {command}: --framebuffer-png {_png}: {e.Message}");
        }
    }

    private static FramebufferSize? Parse(string s)
    {
        int x = s.IndexOf('x');
        if (x < 0 || !int.TryParse(s.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            || !int.TryParse(s.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            || w is < 1 or > 4096 || h is < 1 or > 4096) return null;
        return new FramebufferSize(w, h);
    }
}
