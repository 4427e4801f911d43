// The file layer's unit tests drive vnodes, pipes and descriptor tables directly.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Spindle.Kernel.Tests")]
