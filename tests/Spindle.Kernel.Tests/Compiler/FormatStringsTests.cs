using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>Formats that ask for more output than their size are refused; ordinary ones are not.</summary>
public sealed class FormatStringsTests
{
    [Theory]
    [InlineData("X8")]
    [InlineData("F2")]
    [InlineData("D256")]
    [InlineData("0000.00")]
    [InlineData("yyyy-MM-dd")]
    [InlineData("{0,-8:X4} {1} {{literal}}")]
    [InlineData("{0,256}")]
    public void SmallFormats_Pass(string format) => Assert.Null(FormatStrings.TooWide(format));

    [Theory]
    [InlineData("D999999999")]
    [InlineData("F257")]
    [InlineData("{0:N100000}")]
    [InlineData("{0,1000000}")]
    [InlineData("{0,-257:X2}")]
    [InlineData("{0,99999999999999999999}")]
    public void WideFormats_AreRefused(string format) => Assert.NotNull(FormatStrings.TooWide(format));
}
