using System.Reflection.Emit;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu.Jit;

// Loads and stores: the interpreter's TLB compare inline (the same tags, so misaligned and page-crossing accesses
// and pages without a tag miss), its LoadSlow and store slow path out of line.
internal sealed unsafe partial class RegionCompiler
{
    // va = x[rs1] + imm; entry = the TLB entry of va.
    private void AddressAndEntry(Decoded d)
    {
        LdX(d.Rs1);
        _il.Emit(OpCodes.Ldc_I8, (long)d.Imm);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stloc, _va);
        _il.Emit(OpCodes.Ldloc, _va);
        _il.Emit(OpCodes.Ldc_I4, PhysicalMemory.PageShift);
        _il.Emit(OpCodes.Shr_Un);
        _il.Emit(OpCodes.Ldc_I8, (long)Interpreter.TlbMask);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldc_I4, sizeof(TlbEntry));
        _il.Emit(OpCodes.Mul);
        _il.Emit(OpCodes.Ldloc, _tlb);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stloc, _entry);
    }

    // Branches to `miss` unless the tag at `tagOffset` of the entry admits an access of `size` bytes at va.
    private void TagCheck(int size, int tagOffset, Label miss)
    {
        _il.Emit(OpCodes.Ldloc, _va);
        _il.Emit(OpCodes.Ldc_I8, (long)(~PhysicalMemory.PageMask | (ulong)(size - 1)));
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Ldloc, _entry);
        _il.Emit(OpCodes.Ldc_I4, tagOffset);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldind_I8);
        _il.Emit(OpCodes.Bne_Un, miss);
    }

    // The inline part of an access of `size` bytes by d at o: va and its TLB entry, the tag at `tagOffset` compared
    // (a miss goes to `slow`), and the host address pushed. Returns the labels of the slow path, of the join after
    // the access, and of the exit taken after a page fault (before d).
    private (Label Slow, Label Done, Label Fault) FastPath(Decoded d, int o, int size, int tagOffset)
    {
        Label slow = _il.DefineLabel(), done = _il.DefineLabel();
        Label fault = Exit(o, AdjBefore, trap: true);
        AddressAndEntry(d);
        TagCheck(size, tagOffset, slow);
        HostAddress();
        return (slow, done, fault);
    }

    // Starts an out-of-line slow path at `slow`: pushes the interpreter and va (the helper's first arguments).
    private void SlowPath(Label slow)
    {
        _il.MarkLabel(slow);
        _il.Emit(OpCodes.Ldarg_S, ArgCpu);
        _il.Emit(OpCodes.Ldloc, _va);
    }

    // Calls a slow path (its arguments pushed) whose result, kept in `result`, is 0 after a page fault: goes to
    // `fault` then, else leaves the result pushed.
    private void CallSlow(System.Reflection.MethodInfo helper, LocalBuilder result, Label fault)
    {
        _il.Emit(OpCodes.Call, helper);
        _il.Emit(OpCodes.Stloc, result);
        _il.Emit(OpCodes.Ldloc, result);
        _il.Emit(OpCodes.Brfalse, fault);
        _il.Emit(OpCodes.Ldloc, result);
    }

    // Pushes the host address of va through the entry's addend.
    private void HostAddress()
    {
        _il.Emit(OpCodes.Ldloc, _va);
        _il.Emit(OpCodes.Ldloc, _entry);
        _il.Emit(OpCodes.Ldc_I4, OffAddend);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldind_I8);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Conv_U);
    }

    // A load of `size` bytes read with `read`, widened with `extend` (Nop: none) and handed to `sink`. A page fault
    // leaves the region before the instruction.
    private void Load(Decoded d, int o, int size, OpCode read, OpCode extend, Action sink)
    {
        var (slow, done, fault) = FastPath(d, o, size, OffReadTag);
        ReadAndSink(read, extend, sink);
        _il.MarkLabel(done);
        _cold.Add(() =>
        {
            SlowPath(slow);
            _il.Emit(OpCodes.Ldc_I4, size);
            CallSlow(Helpers.LoadSlow, _ptr, fault);
            ReadAndSink(read, extend, sink);
            _il.Emit(OpCodes.Br, done);
        });
    }

    private void ReadAndSink(OpCode read, OpCode extend, Action sink)
    {
        _il.Emit(read);
        if (extend != OpCodes.Nop) _il.Emit(extend);
        sink();
    }

    // A store of `size` bytes of the value `value` pushes (written with `write`, which truncates). The slow path
    // leaves the region before the instruction after a page fault, and after it if it may have written code.
    private void Store(Decoded d, int o, int size, OpCode write, Action value)
    {
        Label leave = Exit(o + d.Len, AdjAfter, trap: false);
        var (slow, done, fault) = FastPath(d, o, size, OffWriteTag);
        value();
        if (size < 8) _il.Emit(OpCodes.Conv_U4);
        _il.Emit(write);
        _il.MarkLabel(done);
        _cold.Add(() =>
        {
            SlowPath(slow);
            value();
            _il.Emit(OpCodes.Ldc_I4, size);
            CallSlow(Helpers.StoreSlow, _status, fault);
            _il.Emit(OpCodes.Ldc_I4_2);
            _il.Emit(OpCodes.Beq, leave);
            _il.Emit(OpCodes.Br, done);
        });
    }

    // A load's sink writing x[rd] (dropped for x0).
    private Action ToX(int rd) => () => StX(rd);

    // A load's sink writing f[rd] in the register file, NaN-boxed for a single.
    private Action ToF(int rd, bool box) => () =>
    {
        if (box)
        {
            _il.Emit(OpCodes.Ldc_I8, unchecked((long)0xFFFF_FFFF_0000_0000));
            _il.Emit(OpCodes.Or);
        }
        _il.Emit(OpCodes.Stloc, _tmp);
        RegisterAddress(OffF + rd * 8);
        _il.Emit(OpCodes.Ldloc, _tmp);
        _il.Emit(OpCodes.Stind_I8);
    };

    // Pushes f[r] from the register file.
    private void LdF(int r)
    {
        RegisterAddress(OffF + r * 8);
        _il.Emit(OpCodes.Ldind_I8);
    }
}
