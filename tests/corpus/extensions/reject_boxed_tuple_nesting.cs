// expect: reject recursion
// A boxed tuple nested a million deep, then hashed: ValueTuple's GetHashCode recurses a million frames in the base library.
public static class Deep
{
    public static int Hash()
    {
        object o = 1;
        for (int i = 0; i < 1_000_000; i++) o = (o, i);
        return o.GetHashCode();
    }
}
