namespace Spindle.Kernel.Compiler;

// The cost table (see ApiCostTable.cs): conversions between values, bytes and text.
internal static partial class ApiCosts
{
    private static void AddConversions(Dictionary<string, Dictionary<string, Cost>> table)
    {
        Add(table, "System.Convert",
            (Const, "DBNull GetTypeCode IsDBNull"),
            (Args, "ChangeType ToBoolean ToByte ToChar ToDateTime ToDecimal ToDouble ToInt16 ToInt32 ToInt64 ToSByte ToSingle "
                + "ToUInt16 ToUInt32 ToUInt64 ToString ToBase64CharArray TryFromBase64Chars TryFromBase64String TryToBase64Chars "
                + "TryToHexString TryToHexStringLower"),
            (Args | Alloc, "FromBase64CharArray FromBase64String FromHexString ToBase64String ToHexString ToHexStringLower"));
        Add(table, "System.BitConverter",
            (Const, "DoubleToInt64Bits DoubleToUInt64Bits GetBytes HalfToInt16Bits HalfToUInt16Bits Int16BitsToHalf Int32BitsToSingle "
                + "Int64BitsToDouble IsLittleEndian SingleToInt32Bits SingleToUInt32Bits ToBoolean ToChar ToDouble ToHalf ToInt128 "
                + "ToInt16 ToInt32 ToInt64 ToSingle ToUInt128 ToUInt16 ToUInt32 ToUInt64 TryWriteBytes UInt16BitsToHalf "
                + "UInt32BitsToSingle UInt64BitsToDouble"),
            (Args | Alloc, "ToString"));
        Add(table, "System.Buffer", (Const, "ByteLength GetByte SetByte MemoryCopy"), (Count, "BlockCopy"));
        Add(table, "System.HashCode", (Const, "Equals GetHashCode ToHashCode"), (Args, "Add AddBytes Combine"));

        // Fixed-size reads and writes: (Try)(Read|Write) x 13 types x 2 byte orders.
        var binary = new List<string>();
        foreach (var op in (ReadOnlySpan<string>)["Read", "TryRead", "Write", "TryWrite"])
            foreach (var type in (ReadOnlySpan<string>)["Double", "Half", "Int128", "Int16", "Int32", "Int64", "IntPtr", "Single",
                         "UInt128", "UInt16", "UInt32", "UInt64", "UIntPtr"])
                foreach (var order in (ReadOnlySpan<string>)["BigEndian", "LittleEndian"])
                    binary.Add(op + type + order);
        Add(table, "System.Buffers.Binary.BinaryPrimitives", (Const, string.Join(' ', binary)), (Args, "ReverseEndianness"));
    }
}
