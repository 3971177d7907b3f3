using CampusCard.Clearing.Cli;

return await CampusCardCli.RunAsync(args, CliConsole.System);
