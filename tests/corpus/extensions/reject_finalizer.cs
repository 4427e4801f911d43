// expect: reject finalizer
public sealed class Leaky { ~Leaky() { } }
