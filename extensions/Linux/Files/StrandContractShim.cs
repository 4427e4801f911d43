using System;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Trap;

namespace Spindle.Extensions.Linux.Files;

// TEMPORARY, delete when `proc` lands IUserStrand.Block/Now/SignalPending (ISSUE4.md contract):
// lets the file layer compile against the contract before it exists. Interface members take
// precedence over these extension members, so the calls bind to the real ones after the merge.
internal static class StrandContractShim
{
    extension(IUserStrand strand)
    {
        public void Block(IWaitQueue queue, long deadlineNs) =>
            throw new NotSupportedException("blocking needs IUserStrand.Block from the proc branch");
        public long Now => 0;
        public bool SignalPending => false;
    }
}
