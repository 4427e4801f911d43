// expect: reject threading
public static class T { public static void Spawn() => new System.Threading.Thread(() => { }).Start(); }
