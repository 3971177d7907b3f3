using CampusCard.Clearing.Host;

// Socket completions run on the epoll thread instead of hopping to the thread pool: on a small
// machine the hops (context switches) cost more than the work, +20 % unary debits on 2 cores.
// Then nothing may wait on those threads for another socket: a caller's cancellation reaching
// Npgsql (a synchronous cancel request) froze the service after a database stall until Npgsql's
// 15 s timeout; no caller's token reaches the database now (DetachedJournal; StallTests).
// Read once, at the first socket: set it here, before any, unless the operator chose otherwise.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null) Environment.SetEnvironmentVariable(InlineCompletions, "1");

return await HostCommands.Create().Parse(args).InvokeAsync();
