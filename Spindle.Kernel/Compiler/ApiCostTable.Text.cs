namespace Spindle.Kernel.Compiler;

// The cost table (see ApiCostTable.cs): text building, encodings, comparers and the invariant culture.
internal static partial class ApiCosts
{
    private static void AddText(Dictionary<string, Dictionary<string, Cost>> table)
    {
        // set_Length and set_Capacity grow the buffer by a property value the meter cannot see: refused in ApiRules.
        Add(table, "System.Text.StringBuilder",
            (Const, "Clear GetChunks get_Capacity get_Chars get_Length get_MaxCapacity set_Chars"),
            (Count | Args | Alloc, ".ctor Append EnsureCapacity"),
            (Args | Alloc, "AppendFormat AppendLine"),
            (Args | Alloc | Elems, "AppendJoin"),
            (This | Count, "CopyTo"),
            (This | Args, "Equals"),
            (This | Args | Alloc, "Insert"),
            (This, "Remove"),
            (Product | Alloc, "Replace"),
            (This | Alloc, "ToString"));
        Add(table, "System.Text.StringBuilder+ChunkEnumerator", (Const, "GetEnumerator MoveNext get_Current"));
        Add(table, "System.Text.StringBuilder+AppendInterpolatedStringHandler", (Const, ".ctor"), (Args | Alloc, "AppendFormatted AppendLiteral"));
        Add(table, "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler",
            (Const, ".ctor Clear ToString ToStringAndClear get_Text"), (Args | Alloc, "AppendFormatted AppendLiteral"));
        Add(table, "System.Runtime.CompilerServices.FormattableStringFactory", (Args | Alloc, "Create"));
        Add(table, "System.FormattableString",
            (Const, ".ctor GetArgument GetArguments get_ArgumentCount get_Format"), (Args | Alloc, "Invariant ToString"));

        // Getters that return fallbacks, decoders and encoders carry types extensions may not name.
        Add(table, "System.Text.Encoding",
            (Const, ".ctor Clone Equals GetEncoding GetHashCode GetMaxByteCount GetMaxCharCount GetPreamble IsAlwaysNormalized get_ASCII "
                + "get_BigEndianUnicode get_BodyName get_CodePage get_EncodingName get_HeaderName get_IsBrowserDisplay "
                + "get_IsBrowserSave get_IsMailNewsDisplay get_IsMailNewsSave get_IsReadOnly get_IsSingleByte get_Latin1 "
                + "get_Preamble get_UTF32 get_UTF7 get_UTF8 get_Unicode get_WebName get_WindowsCodePage"),
            (Args, "GetByteCount GetCharCount TryGetBytes TryGetChars"),
            (Args | Alloc, "Convert GetBytes GetChars GetString"));
        Add(table, "System.Text.Rune",
            (Const, ".ctor CompareTo DecodeFromUtf16 DecodeFromUtf8 DecodeLastFromUtf16 DecodeLastFromUtf8 EncodeToUtf16 EncodeToUtf8 "
                + "Equals GetHashCode GetNumericValue GetRuneAt GetUnicodeCategory IsControl IsDigit IsLetter IsLetterOrDigit IsLower "
                + "IsNumber IsPunctuation IsSeparator IsSymbol IsUpper IsValid IsWhiteSpace ToLower ToLowerInvariant ToString ToUpper "
                + "ToUpperInvariant TryCreate TryEncodeToUtf16 TryEncodeToUtf8 TryGetRuneAt get_IsAscii get_IsBmp get_Plane "
                + "get_ReplacementChar get_Utf16SequenceLength get_Utf8SequenceLength get_Value op_Equality op_Explicit "
                + "op_GreaterThan op_GreaterThanOrEqual op_Inequality op_LessThan op_LessThanOrEqual"));
        Add(table, "System.Text.Ascii",
            (Args, "Equals EqualsIgnoreCase FromUtf16 IsValid ToLower ToLowerInPlace ToUpper ToUpperInPlace ToUtf16 Trim TrimEnd TrimStart"));
        Add(table, "System.Text.SpanRuneEnumerator", (Const, "GetEnumerator MoveNext get_Current"));
        Add(table, "System.Text.StringRuneEnumerator", (Const, "GetEnumerator MoveNext get_Current"));

        Add(table, "System.StringComparer",
            (Const, ".ctor Create FromComparison IsWellKnownCultureAwareComparer IsWellKnownOrdinalComparer get_InvariantCulture "
                + "get_InvariantCultureIgnoreCase get_Ordinal get_OrdinalIgnoreCase"),
            (Args, "Compare Equals GetHashCode"));
        // Only the invariant culture and its read-only number format; ApiRules refuses the rest as host state.
        Add(table, "System.Globalization.CultureInfo",
            (Const, "get_InvariantCulture get_NumberFormat get_Name get_IsReadOnly GetFormat Equals GetHashCode ToString"));
        Add(table, "System.Globalization.NumberFormatInfo",
            (Const, "get_InvariantInfo get_IsReadOnly GetFormat get_CurrencyDecimalDigits get_CurrencyDecimalSeparator "
                + "get_CurrencyGroupSeparator get_CurrencyGroupSizes get_CurrencyNegativePattern get_CurrencyPositivePattern "
                + "get_CurrencySymbol get_NaNSymbol get_NegativeInfinitySymbol get_NegativeSign get_NumberDecimalDigits "
                + "get_NumberDecimalSeparator get_NumberGroupSeparator get_NumberGroupSizes get_NumberNegativePattern "
                + "get_PerMilleSymbol get_PercentDecimalDigits get_PercentDecimalSeparator get_PercentGroupSeparator "
                + "get_PercentGroupSizes get_PercentNegativePattern get_PercentPositivePattern get_PercentSymbol "
                + "get_PositiveInfinitySymbol get_PositiveSign"));
    }
}
