namespace Spindle.Extensions.Linux.Process;

/// <summary>A futex's identity: the address space (the process's memory identity) and the word's address.</summary>
internal readonly record struct FutexKey(object Memory, ulong Address);
