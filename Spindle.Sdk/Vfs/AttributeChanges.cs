namespace Spindle.Sdk.Vfs;

/// <summary>Which fields of an <see cref="AttributeChanges"/> apply (Linux's ATTR_* of setattr).</summary>
[System.Flags]
public enum AttributeMask
{
    /// <summary>Permission bits (<see cref="AttributeChanges.Mode"/>; the type bits never change).</summary>
    Mode = 1,
    /// <summary>Owner (<see cref="AttributeChanges.Uid"/>).</summary>
    Uid = 2,
    /// <summary>Group (<see cref="AttributeChanges.Gid"/>).</summary>
    Gid = 4,
    /// <summary>Length of a regular file (<see cref="AttributeChanges.Size"/>): truncate or extend with zeros.</summary>
    Size = 8,
    /// <summary>Access time (<see cref="AttributeChanges.AccessNanoseconds"/>).</summary>
    AccessTime = 16,
    /// <summary>Modification time (<see cref="AttributeChanges.ModifyNanoseconds"/>).</summary>
    ModifyTime = 32,
}

/// <summary>setattr's argument: the fields named in <see cref="Valid"/> are set, the others kept.</summary>
public struct AttributeChanges
{
    /// <summary>The fields that apply.</summary>
    public AttributeMask Valid;

    /// <summary>New permission bits (<see cref="FileType.PermissionMask"/>).</summary>
    public uint Mode;

    /// <summary>New owner and group.</summary>
    public uint Uid, Gid;

    /// <summary>New length in bytes.</summary>
    public long Size;

    /// <summary>New access and modification times, nanoseconds since the Unix epoch.</summary>
    public long AccessNanoseconds, ModifyNanoseconds;

    /// <summary>A change of the length only (truncate).</summary>
    public static AttributeChanges OfSize(long size) => new() { Valid = AttributeMask.Size, Size = size };
}
