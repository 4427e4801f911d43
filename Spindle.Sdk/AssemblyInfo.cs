// Spindle.Sdk: the interfaces an extension may name. Nothing here may reach the host.
[assembly: System.CLSCompliant(false)]
