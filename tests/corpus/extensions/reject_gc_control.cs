// expect: reject gc
public static class G { public static void Stop() => System.GC.TryStartNoGCRegion(1 << 20); }
