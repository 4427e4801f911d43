using System.Reflection;
using Spindle.Machine.Cpu;
using Xunit.Sdk;

namespace Spindle.Machine.Tests.Cpu;

/// <summary>
/// Theory data: runs the test once per registered execution engine (<see cref="ExecutionEngines.All"/>), with the
/// engine's name as the first argument and <paramref name="data"/> after it (an InlineData that multiplies over
/// engines). The name, not the engine, is passed so that each case is named and serializable; the test gets its
/// engine with <see cref="Engine"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class EachEngineAttribute(params object?[] data) : DataAttribute
{
    public override IEnumerable<object?[]> GetData(MethodInfo testMethod) =>
        ExecutionEngines.All.Select(e => (object?[])[e.Name, .. data]);

    /// <summary>The engine named <paramref name="name"/> (a test's first argument).</summary>
    public static ExecutionEngineKind Engine(string name) =>
        ExecutionEngines.Find(name) ?? throw new ArgumentException($"no execution engine named '{name}'", nameof(name));
}
