// expect: reject threading
public sealed class L { private readonly object _g = new(); private int _n; public void Inc() { lock (_g) _n++; } }
