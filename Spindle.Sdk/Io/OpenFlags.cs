namespace Spindle.Sdk.Io;

/// <summary>How to open a host file. The access mode is one of the first three values.</summary>
[Flags]
public enum OpenFlags
{
    ReadOnly = 0,
    WriteOnly = 1,
    ReadWrite = 2,
    AccessMask = 3,
    Create = 1 << 2,
    Exclusive = 1 << 3,
    Truncate = 1 << 4,
    Append = 1 << 5,
    Directory = 1 << 6,
    NoFollow = 1 << 7,
    NonBlocking = 1 << 8,
    Sync = 1 << 9,
}

/// <summary>Where a seek offset is counted from (values as lseek's whence).</summary>
public enum SeekWhence { Start = 0, Current = 1, End = 2 }
