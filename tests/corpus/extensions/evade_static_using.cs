// expect: reject environment
using static System.Environment;
public static class Sneaky { public static int Cpus() => ProcessorCount; }
