// expect: reject timer
public static class T { public static object Tick() => new System.Threading.Timer(_ => { }, null, 0, 10); }
