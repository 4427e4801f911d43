using System.Reflection;
using System.Runtime.CompilerServices;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Domain;

/// <summary>
/// The retained-memory quota of extension domains (<see cref="DomainOptions.MemoryQuota"/>). The meter bounds what
/// one call allocates; what a domain keeps between calls (in its statics, in its handlers' closures, in the
/// services it exports) is measured here. The meter calls <see cref="Run"/> at an Arm, in kernel context, each
/// time its thread has allocated <see cref="Interval"/> bytes since the last audit, so the audit costs the hot
/// path one compare of a counter Arm reads anyway. An audit measures each extension domain created on this
/// thread by walking what it holds (its own stack, no extension code: fields are read by reflection, and static
/// constructors have all run at Initialize) and stops a walk as soon as the quota is passed; a domain over its
/// quota is revoked (charged and destroyed), and its memory goes with its code. Audits run only at an outermost
/// Arm, on the calling thread, so no call's allocation budget sees the walk and no thread waits for another.
/// </summary>
/// <remarks>
/// Limitations: sizes are estimates (headers, references and primitives; padding ignored); the walk stops at objects
/// of the kernel, the host and other domains (a reference to one counts 16 bytes); base-library objects shared with
/// others are counted by whoever reaches them first; static fields of generic type
/// instantiations are not reachable by reflection and are refused by the metadata policy instead (except the
/// compiler's own lambda caches); what a domain parks in kernel structures it does not own (wait queues, extern
/// tables) is bounded by those structures' own limits, not by this audit.
/// </remarks>
internal static class MemoryAudit
{
    /// <summary>Bytes a thread allocates between two audits of its domains.</summary>
    public const long Interval = 64L << 20;

    [ThreadStatic] private static List<WeakReference<ProtectionDomain>>? t_domains;

    /// <summary>Puts <paramref name="domain"/> under audit on the calling thread (the one that will call it); a domain without a quota is not.</summary>
    public static void Track(ProtectionDomain domain)
    {
        if (domain.Options.MemoryQuota == long.MaxValue) return;
        (t_domains ??= []).Add(new WeakReference<ProtectionDomain>(domain));
        Meter.SetAuditor(Run, Interval);
    }

    /// <summary>
    /// Audits every live domain tracked on this thread and revokes those over their quota. The meter calls it at
    /// an outermost Arm only, so no armed call is running on this thread and what the walk allocates is charged to
    /// nobody (the meter reads the allocation counter again after it). It runs on the caller's thread and waits
    /// for no other thread.
    /// </summary>
    public static void Run()
    {
        if (t_domains is not { } domains) return;
        domains.RemoveAll(static w => !w.TryGetTarget(out var d) || d.IsDestroyed);
        List<ProtectionDomain>? over = null;
        foreach (var weak in domains)
        {
            if (!weak.TryGetTarget(out var domain)) continue;
            try
            {
                if (Measure(domain, domain.Options.MemoryQuota) > domain.Options.MemoryQuota) (over ??= []).Add(domain);
            }
            catch (Exception) { /* a walk that cannot read a field leaves the domain as it is */ }
        }
        foreach (var domain in over ?? [])
            domain.Revoke($"memory quota exceeded: holds more than {domain.Options.MemoryQuota >> 20} MB between calls");
    }

    /// <summary>Estimated bytes <paramref name="domain"/> holds, counted until <paramref name="limit"/> is passed.</summary>
    public static long Measure(ProtectionDomain domain, long limit)
    {
        var walk = new Walk(limit, domain.Assembly);
        foreach (var root in domain.Roots()) walk.Push(root);
        return walk.Run();
    }

    // One measurement: a depth-first walk with an explicit stack and a visited set. It goes through the domain's own
    // objects and the base library's (collections, boxes, arrays, strings) and stops at anything else (the kernel's,
    // another domain's, the host's): each object visited counts at least 16 bytes, so a walk ends after at most
    // limit / 16 objects whatever it meets.
    private sealed class Walk(long limit, Assembly? own)
    {
        private readonly Stack<object> _pending = new();
        private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
        private long _bytes;

        public void Push(object? value)
        {
            if (value is null || value is Type or MemberInfo or Assembly || !_seen.Add(value)) return;
            _pending.Push(value);
        }

        public long Run()
        {
            while (_bytes <= limit && _pending.TryPop(out var value)) Visit(value);
            return _bytes;
        }

        private void Visit(object value)
        {
            switch (value)
            {
                case string s:
                    _bytes += 22 + 2L * s.Length;
                    return;
                case Delegate d:
                    _bytes += 64;
                    if (d.Target is { } target && target.GetType().Assembly == own) Push(target);
                    foreach (var inner in d.GetInvocationList()) if (!ReferenceEquals(inner, d)) Push(inner);
                    return;
                case Array a:
                    VisitArray(a);
                    return;
            }
            var type = value.GetType();
            _bytes += 16;
            if (type.Assembly != own && !IsBaseLibrary(type.Assembly)) return;
            foreach (var field in FieldsOf(type))
            {
                _bytes += 8;
                if (!field.FieldType.IsPrimitive && !field.FieldType.IsEnum && !field.FieldType.IsPointer) Push(field.GetValue(value));
            }
        }

        private void VisitArray(Array a)
        {
            var element = a.GetType().GetElementType()!;
            _bytes += 24 + a.LongLength * (element.IsValueType ? ValueSize(element) : 8);
            if (element.IsPrimitive || element.IsEnum || element.IsPointer) return;
            for (long i = 0; i < a.LongLength && _bytes <= limit; i++) Push(a.GetValue(i));
        }
    }

    /// <summary>The objects <paramref name="owner"/>'s code keeps alive through kernel-visible roots.</summary>
    internal static IEnumerable<object> StaticsOf(Assembly owner)
    {
        foreach (var type in owner.GetTypes())
            if (!type.ContainsGenericParameters)
                foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    if (!field.IsLiteral && field.GetValue(null) is { } value) yield return value;
    }

    // The base library an extension is granted (its objects are walked as the holder's); never collectible, so cached.
    private static bool IsBaseLibrary(Assembly assembly) =>
        !assembly.IsCollectible && BaseLibrary.GetOrAdd(assembly, static a => ExtensionLoadContext.BaseLibrary.Contains(a.GetName().Name ?? ""));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Assembly, bool> BaseLibrary = new();

    private static readonly ConditionalWeakTable<Type, FieldInfo[]> Fields = new();

    private static FieldInfo[] FieldsOf(Type type) => Fields.GetValue(type, static t =>
    {
        var fields = new List<FieldInfo>();
        for (var c = t; c is not null; c = c.BaseType)
            fields.AddRange(c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        return [.. fields];
    });

    // Bytes of one value of a value type: exact for primitives and enums, 8 per field for structs.
    private static long ValueSize(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean or TypeCode.Byte or TypeCode.SByte => 1,
        TypeCode.Char or TypeCode.Int16 or TypeCode.UInt16 => 2,
        TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Single => 4,
        TypeCode.Object => Math.Max(8, FieldsOf(type).Length * 8L),
        _ => 8,
    };
}
