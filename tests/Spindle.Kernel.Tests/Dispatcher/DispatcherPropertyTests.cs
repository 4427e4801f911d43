using System.Linq.Expressions;
using FsCheck.Xunit;
using Spindle.Kernel.Dispatcher;
using Spindle.Sdk.Dispatcher;
using KDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Dispatcher;

/// <summary>
/// Random install/uninstall/raise sequences against a model (a plain ordered list of predicates):
/// every raise must run exactly the handlers whose guards pass, in the declared order.
/// </summary>
public class DispatcherPropertyTests
{
    [Property(MaxTest = 300)]
    public void RandomSequences_DispatchExactlyThePassingHandlersInOrder((int Kind, int A, int B, int C)[] ops)
    {
        var d = new KDispatcher();
        var trusted = new TestOwner("kernel");
        var untrusted = new TestOwner("ext", fuel: 10_000);
        var log = new List<int>();
        var ev = d.Declare<Trap, long>(trusted, "E", _ => { log.Add(0); return 0; }, out var intrinsic,
            new EventOptions<Trap, long> { Default = _ => -1 });
        var model = new List<(int Id, Binding Binding, Func<Trap, bool> Pred)> { (0, intrinsic, _ => true) };
        int nextId = 1;

        foreach (var (kind, a, b, c) in ops)
        {
            switch (Math.Abs(kind % 8))
            {
                case <= 2:
                {
                    int id = nextId++;
                    var (guard, pred) = RandomGuard(Math.Abs(a % 7), Math.Abs(b % 4), Math.Abs(c % 2));
                    int order = Math.Abs(a / 7 % 4);
                    int at = model.Count == 0 ? 0 : Math.Abs(c % model.Count);
                    var options = model.Count == 0 || order == 0 ? InstallOptions.Last
                        : order == 1 ? InstallOptions.First
                        : order == 2 ? InstallOptions.Before(model[at].Binding)
                        : InstallOptions.After(model[at].Binding);
                    var owner = b % 2 == 0 ? trusted : untrusted;
                    var binding = d.Install(owner, ev, _ => { log.Add(id); return id; }, guard, options);
                    int pos = options.Order switch
                    {
                        HandlerOrder.First => 0,
                        HandlerOrder.Before => at,
                        HandlerOrder.After => at + 1,
                        _ => model.Count,
                    };
                    model.Insert(pos, (id, binding, pred));
                    break;
                }
                case 3 when model.Count > 0:
                {
                    int at = Math.Abs(a % model.Count);
                    Assert.True(model[at].Binding.Uninstall());
                    model.RemoveAt(at);
                    break;
                }
                default:
                {
                    var arg = new Trap(Math.Abs(a % 5), Math.Abs(b % 2));
                    log.Clear();
                    long result = ev.Raise(arg);
                    var expected = model.Where(m => m.Pred(arg)).Select(m => m.Id).ToList();
                    Assert.Equal(expected, log);
                    Assert.Equal(expected.Count == 0 ? -1 : expected[^1], result);
                    break;
                }
            }
        }
        Assert.Empty(untrusted.Faults);
    }

    // A guard of the given shape over constants c (call number) and f (A0), and the same predicate as a function.
    private static (Expression<Func<Trap, bool>>? Guard, Func<Trap, bool> Pred) RandomGuard(int shape, long c, long f) => shape switch
    {
        0 => (null, _ => true),
        1 => (a => a.Number == c, a => a.Number == c),
        2 => (a => a.Number != c, a => a.Number != c),
        3 => (a => a.Number == c && a.A0 == f, a => a.Number == c && a.A0 == f),
        4 => (a => a.Number > c, a => a.Number > c),
        5 => (a => a.A0 == f, a => a.A0 == f),
        _ => (a => a.A0 == f && a.Number == c, a => a.A0 == f && a.Number == c),
    };
}
