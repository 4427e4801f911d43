// expect: reject threading
public static class T { public static void Go() => System.Threading.ThreadPool.QueueUserWorkItem(_ => { }); }
