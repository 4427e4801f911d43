namespace Spindle.Kernel.Compiler;

// The cost table (see ApiCostTable.cs): the primitive types, the generic-math interfaces, and the value types
// parsed from and formatted to text. Arithmetic is bounded; parsing and formatting are charged by the text.
internal static partial class ApiCosts
{
    // Every member any primitive declares, but parsing and formatting; with the operators C# gives them.
    private const string PrimitiveMembers =
        ".ctor Abs Acos AcosPi Acosh Add Asin AsinPi Asinh Atan Atan2 Atan2Pi AtanPi Atanh BigMul BitDecrement BitIncrement Cbrt "
        + "Ceiling Clamp ClampNative Compare CompareTo ConvertFromUtf32 ConvertToInteger ConvertToIntegerNative ConvertToUtf32 "
        + "CopySign Cos CosPi Cosh CreateChecked CreateSaturating CreateTruncating DegreesToRadians DivRem Divide E Epsilon Equals "
        + "Exp Exp10 Exp10M1 Exp2 Exp2M1 ExpM1 FalseString Floor FromOACurrency FusedMultiplyAdd GetBits GetHashCode "
        + "GetNumericValue GetTypeCode GetUnicodeCategory Hypot ILogB Ieee754Remainder IsAscii IsAsciiDigit IsAsciiHexDigit "
        + "IsAsciiHexDigitLower IsAsciiHexDigitUpper IsAsciiLetter IsAsciiLetterLower IsAsciiLetterOrDigit IsAsciiLetterUpper "
        + "IsBetween IsCanonical IsControl IsDigit IsEvenInteger IsFinite IsHighSurrogate IsInfinity IsInteger IsLetter "
        + "IsLetterOrDigit IsLowSurrogate IsLower IsNaN IsNegative IsNegativeInfinity IsNormal IsNumber IsOddInteger IsPositive "
        + "IsPositiveInfinity IsPow2 IsPunctuation IsRealNumber IsSeparator IsSubnormal IsSurrogate IsSurrogatePair IsSymbol "
        + "IsUpper IsWhiteSpace LeadingZeroCount Lerp Log Log10 Log10P1 Log2 Log2P1 LogP1 Max MaxMagnitude MaxMagnitudeNumber "
        + "MaxNative MaxNumber MaxValue Min MinMagnitude MinMagnitudeNumber MinNative MinNumber MinValue MinusOne Multiply "
        + "MultiplyAddEstimate NaN Negate NegativeInfinity NegativeZero One Pi PopCount PositiveInfinity Pow RadiansToDegrees "
        + "ReciprocalEstimate ReciprocalSqrtEstimate Remainder RootN RotateLeft RotateRight Round ScaleB Sign Sin SinCos "
        + "SinCosPi SinPi Sinh Sqrt Subtract Tan TanPi Tanh Tau ToByte ToDouble ToInt16 ToInt32 ToInt64 ToLower "
        + "ToLowerInvariant ToOACurrency ToPointer ToSByte ToSingle ToUInt16 ToUInt32 ToUInt64 ToUpper ToUpperInvariant "
        + "TrailingZeroCount TrueString Truncate TryGetBits Zero get_E get_Epsilon get_MaxValue get_MinValue "
        + "get_MultiplicativeIdentity get_NaN get_NegativeInfinity get_NegativeOne get_NegativeZero get_One get_Pi "
        + "get_PositiveInfinity get_Scale get_Size get_Tau get_Zero op_Addition op_BitwiseAnd op_BitwiseOr op_CheckedAddition "
        + "op_CheckedDecrement op_CheckedDivision op_CheckedExplicit op_CheckedIncrement op_CheckedMultiply op_CheckedSubtraction "
        + "op_CheckedUnaryNegation op_Decrement op_Division op_Equality op_ExclusiveOr op_Explicit op_GreaterThan "
        + "op_GreaterThanOrEqual op_Implicit op_Increment op_Inequality op_LeftShift op_LessThan op_LessThanOrEqual op_Modulus "
        + "op_Multiply op_OnesComplement op_RightShift op_Subtraction op_UnaryNegation op_UnaryPlus op_UnsignedRightShift "
        + "op_LogicalNot";

    private static void AddNumbers(Dictionary<string, Dictionary<string, Cost>> table)
    {
        foreach (var name in (ReadOnlySpan<string>)["Boolean", "Char", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64",
                     "UInt64", "Int128", "UInt128", "IntPtr", "UIntPtr", "Half", "Single", "Double", "Decimal"])
            Add(table, "System." + name, (Const, PrimitiveMembers), (Args, "Parse TryParse TryFormat"), (Args | Alloc, "ToString"));

        const string parseFormat = "Parse TryParse TryFormat";
        Add(table, "System.Guid",
            (Const, "CompareTo Empty Equals GetHashCode NewGuid ToByteArray TryWriteBytes get_AllBitsSet get_Variant get_Version "
                + "op_Equality op_GreaterThan op_GreaterThanOrEqual op_Inequality op_LessThan op_LessThanOrEqual ToString"),
            (Args, ".ctor ParseExact TryParseExact " + parseFormat));
        Add(table, "System.TimeSpan",
            (Const, ".ctor Add Compare CompareTo Divide Duration Equals FromDays FromHours FromMicroseconds FromMilliseconds "
                + "FromMinutes FromSeconds FromTicks GetHashCode HoursPerDay MaxValue MicrosecondsPerDay MicrosecondsPerHour "
                + "MicrosecondsPerMillisecond MicrosecondsPerMinute MicrosecondsPerSecond MillisecondsPerDay MillisecondsPerHour "
                + "MillisecondsPerMinute MillisecondsPerSecond MinValue MinutesPerDay MinutesPerHour Multiply NanosecondsPerTick "
                + "Negate SecondsPerDay SecondsPerHour SecondsPerMinute Subtract TicksPerDay TicksPerHour TicksPerMicrosecond "
                + "TicksPerMillisecond TicksPerMinute TicksPerSecond Zero get_Days get_Hours get_Microseconds get_Milliseconds "
                + "get_Minutes get_Nanoseconds get_Seconds get_Ticks get_TotalDays get_TotalHours get_TotalMicroseconds "
                + "get_TotalMilliseconds get_TotalMinutes get_TotalNanoseconds get_TotalSeconds op_Addition op_Division "
                + "op_Equality op_GreaterThan op_GreaterThanOrEqual op_Inequality op_LessThan op_LessThanOrEqual op_Multiply "
                + "op_Subtraction op_UnaryNegation op_UnaryPlus"),
            (Args, "ParseExact TryParseExact " + parseFormat), (Args | Alloc, "ToString"));
        // The clock, the host's time zone and culture-dependent formats are refused in ApiRules.
        Add(table, "System.DateTime",
            (Const, ".ctor Add AddDays AddHours AddMicroseconds AddMilliseconds AddMinutes AddMonths AddSeconds AddTicks AddYears "
                + "Compare CompareTo DaysInMonth Deconstruct Equals FromBinary FromFileTimeUtc FromOADate GetHashCode GetTypeCode "
                + "IsLeapYear MaxValue MinValue SpecifyKind Subtract ToBinary ToFileTimeUtc ToOADate UnixEpoch get_Date get_Day "
                + "get_DayOfWeek get_DayOfYear get_Hour get_Kind get_Microsecond get_Millisecond get_Minute get_Month "
                + "get_Nanosecond get_Second get_Ticks get_TimeOfDay get_Year op_Addition op_Equality op_GreaterThan "
                + "op_GreaterThanOrEqual op_Inequality op_LessThan op_LessThanOrEqual op_Subtraction"),
            (Args, "TryFormat"), (Args | Alloc, "ToString"));
        Add(table, "System.DateTimeOffset",
            (Const, ".ctor Add AddDays AddHours AddMicroseconds AddMilliseconds AddMinutes AddMonths AddSeconds AddTicks AddYears "
                + "Compare CompareTo Deconstruct Equals EqualsExact FromFileTime FromUnixTimeMilliseconds FromUnixTimeSeconds "
                + "GetHashCode MaxValue MinValue Subtract ToFileTime ToOffset ToUniversalTime ToUnixTimeMilliseconds ToUnixTimeSeconds UnixEpoch "
                + "get_Date get_DateTime get_Day get_DayOfWeek get_DayOfYear get_Hour get_Microsecond get_Millisecond get_Minute "
                + "get_Month get_Nanosecond get_Offset get_Second get_Ticks get_TimeOfDay get_TotalOffsetMinutes get_UtcDateTime "
                + "get_UtcTicks get_Year op_Addition op_Equality op_GreaterThan op_GreaterThanOrEqual op_Inequality op_LessThan "
                + "op_LessThanOrEqual op_Subtraction"),
            (Args, "TryFormat"), (Args | Alloc, "ToString"));
        Add(table, "System.Version",
            (Const, "Clone CompareTo Equals GetHashCode ToString TryFormat get_Build get_Major get_MajorRevision get_Minor "
                + "get_MinorRevision get_Revision op_Equality op_GreaterThan op_GreaterThanOrEqual op_Inequality op_LessThan op_LessThanOrEqual"),
            (Args, ".ctor Parse TryParse"));
        Add(table, "System.Enum",
            (Const, ".ctor CompareTo Equals GetHashCode GetName GetNames GetTypeCode GetUnderlyingType GetValues GetValuesAsUnderlyingType "
                + "HasFlag IsDefined ToObject ToString TryFormat"),
            (Args, "Parse TryParse"), (Args | Alloc, "Format"));
        Add(table, "System.Random",
            (Const, ".ctor Next NextDouble NextInt64 NextSingle Sample"),
            (Args, "NextBytes Shuffle"), (Args | Count | Alloc, "GetItems GetString"));
        Add(table, "System.Numerics.BitOperations",
            (Const, "Crc32C IsPow2 LeadingZeroCount Log2 PopCount RotateLeft RotateRight RoundUpToPowerOf2 TrailingZeroCount"));
        Add(table, "System.Numerics.TotalOrderIeee754Comparer`1", (Const, "Compare Equals GetHashCode"));
        AddGenericMath(table);
        AddEnums(table, "System.Globalization.NumberStyles", "System.Globalization.UnicodeCategory", "System.Buffers.OperationStatus",
            "System.Text.NormalizationForm");
    }

    // The generic-math interfaces, reached through constrained calls on type parameters (T.Zero, x + y, T.Parse).
    private static void AddGenericMath(Dictionary<string, Dictionary<string, Cost>> table)
    {
        (string Type, string Members)[] constant =
        [
            ("IAdditionOperators`3", "op_Addition op_CheckedAddition"), ("IAdditiveIdentity`2", "get_AdditiveIdentity"),
            ("IBinaryFloatingPointIeee754`1", ""), ("IBinaryNumber`1", "IsPow2 Log2 get_AllBitsSet"),
            ("IBitwiseOperators`3", "op_BitwiseAnd op_BitwiseOr op_ExclusiveOr op_OnesComplement"),
            ("IComparisonOperators`3", "op_GreaterThan op_GreaterThanOrEqual op_LessThan op_LessThanOrEqual"),
            ("IDecrementOperators`1", "op_CheckedDecrement op_Decrement"), ("IDivisionOperators`3", "op_CheckedDivision op_Division"),
            ("IEqualityOperators`3", "op_Equality op_Inequality"), ("IExponentialFunctions`1", "Exp Exp10 Exp10M1 Exp2 Exp2M1 ExpM1"),
            ("IFloatingPointConstants`1", "get_E get_Pi get_Tau"),
            ("IFloatingPointIeee754`1", "Atan2 Atan2Pi BitDecrement BitIncrement FusedMultiplyAdd ILogB Ieee754Remainder Lerp "
                + "ReciprocalEstimate ReciprocalSqrtEstimate ScaleB get_Epsilon get_NaN get_NegativeInfinity get_NegativeZero get_PositiveInfinity"),
            ("IFloatingPoint`1", "Ceiling ConvertToInteger ConvertToIntegerNative Floor GetExponentByteCount GetExponentShortestBitLength "
                + "GetSignificandBitLength GetSignificandByteCount Round Truncate TryWriteExponentBigEndian TryWriteExponentLittleEndian "
                + "TryWriteSignificandBigEndian TryWriteSignificandLittleEndian WriteExponentBigEndian WriteExponentLittleEndian "
                + "WriteSignificandBigEndian WriteSignificandLittleEndian"),
            ("IHyperbolicFunctions`1", "Acosh Asinh Atanh Cosh Sinh Tanh"), ("IIncrementOperators`1", "op_CheckedIncrement op_Increment"),
            ("ILogarithmicFunctions`1", "Log Log10 Log10P1 Log2 Log2P1 LogP1"), ("IMinMaxValue`1", "get_MaxValue get_MinValue"),
            ("IModulusOperators`3", "op_Modulus"), ("IMultiplicativeIdentity`2", "get_MultiplicativeIdentity"),
            ("IMultiplyOperators`3", "op_CheckedMultiply op_Multiply"),
            ("INumber`1", "Clamp ClampNative CopySign Max MaxNative MaxNumber Min MinNative MinNumber Sign"),
            ("IPowerFunctions`1", "Pow"), ("IRootFunctions`1", "Cbrt Hypot RootN Sqrt"),
            ("IShiftOperators`3", "op_LeftShift op_RightShift op_UnsignedRightShift"), ("ISignedNumber`1", "get_NegativeOne"),
            ("ISubtractionOperators`3", "op_CheckedSubtraction op_Subtraction"),
            ("ITrigonometricFunctions`1", "Acos AcosPi Asin AsinPi Atan AtanPi Cos CosPi DegreesToRadians RadiansToDegrees Sin SinCos SinCosPi SinPi Tan TanPi"),
            ("IUnaryNegationOperators`2", "op_CheckedUnaryNegation op_UnaryNegation"), ("IUnaryPlusOperators`2", "op_UnaryPlus"),
            ("IUnsignedNumber`1", ""),
        ];
        foreach (var (type, members) in constant) Add(table, "System.Numerics." + type, (Const, members));
        Add(table, "System.Numerics.INumberBase`1",
            (Const, "Abs CreateChecked CreateSaturating CreateTruncating IsCanonical IsComplexNumber IsEvenInteger IsFinite "
                + "IsImaginaryNumber IsInfinity IsInteger IsNaN IsNegative IsNegativeInfinity IsNormal IsOddInteger IsPositive "
                + "IsPositiveInfinity IsRealNumber IsSubnormal IsZero MaxMagnitude MaxMagnitudeNumber MinMagnitude "
                + "MinMagnitudeNumber MultiplyAddEstimate get_One get_Radix get_Zero TryConvertFromChecked TryConvertFromSaturating "
                + "TryConvertFromTruncating TryConvertToChecked TryConvertToSaturating TryConvertToTruncating"),
            (Args, "Parse TryParse"));
        // Reading an integer from bytes checks that the bytes beyond its size are a sign extension.
        Add(table, "System.Numerics.IBinaryInteger`1",
            (Const, "DivRem GetByteCount GetShortestBitLength LeadingZeroCount PopCount RotateLeft RotateRight TrailingZeroCount "
                + "TryWriteBigEndian TryWriteLittleEndian WriteBigEndian WriteLittleEndian"),
            (Args, "ReadBigEndian ReadLittleEndian TryReadBigEndian TryReadLittleEndian"));
        foreach (var parsable in (ReadOnlySpan<string>)["System.IParsable`1", "System.ISpanParsable`1", "System.IUtf8SpanParsable`1"])
            Add(table, parsable, (Args, "Parse TryParse"));
        Add(table, "System.IFormattable", (Args | Alloc, "ToString"));
        Add(table, "System.ISpanFormattable", (Args, "TryFormat"));
        Add(table, "System.IUtf8SpanFormattable", (Args, "TryFormat"));
        Add(table, "System.IComparable", (This | Args, "CompareTo"));
        Add(table, "System.IComparable`1", (This | Args, "CompareTo"));
        Add(table, "System.IEquatable`1", (This | Args, "Equals"));
        Add(table, "System.IFormatProvider", (Const, "GetFormat"));
    }
}
