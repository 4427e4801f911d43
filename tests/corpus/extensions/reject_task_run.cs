// expect: reject threading
using System.Threading.Tasks;
public static class T { public static Task Go() => Task.Run(() => 1); }
