// expect: reject generic-expansion
public sealed class Box<T> { public T? Value; }
public static class Mutual
{
    public static int A<T>(int n) => n == 0 ? 0 : B<Box<T>>(n - 1);
    public static int B<U>(int n) => A<U>(n);
}
