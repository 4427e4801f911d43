namespace Spindle.Kernel.Tests.Domain;

/// <summary>A kernel-side log service exported to extensions as the base-library interface IObserver&lt;string&gt;.</summary>
internal sealed class Log : IObserver<string>
{
    public readonly List<string> Lines = [];
    public void OnNext(string value) { lock (Lines) Lines.Add(value); }
    public void OnCompleted() { }
    public void OnError(Exception error) { }
}

/// <summary>A binding whose disposal is observable (stands for an installed handler).</summary>
internal sealed class Binding : IDisposable
{
    public bool Disposed { get; private set; }
    public void Dispose() => Disposed = true;
}
