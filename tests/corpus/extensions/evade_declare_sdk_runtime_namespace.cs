// expect: reject sdk-runtime
namespace Spindle.Sdk.Runtime { public static class Shadow { } }
