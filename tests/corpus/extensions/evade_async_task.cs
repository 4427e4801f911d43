// expect: reject threading
public static class Sneaky { public static async System.Threading.Tasks.Task<int> Later() { await System.Threading.Tasks.Task.Yield(); return 1; } }
