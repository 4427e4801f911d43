// expect: reject threading
public sealed record Job(System.Threading.CancellationToken Token);
