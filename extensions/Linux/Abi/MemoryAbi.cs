namespace Spindle.Extensions.Linux.Abi;

// madvise's advice values (asm-generic), kept beside the memory calls that use them.
public static partial class LinuxAbi
{
    public const int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3, MADV_DONTNEED = 4, MADV_FREE = 8;
}
