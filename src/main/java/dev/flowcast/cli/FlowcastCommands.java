package dev.flowcast.cli;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line modes that run without the engine or the web server (the REST starter cannot
 * start in a non-web context, so they are dispatched before Spring starts).
 */
@Command(name = "flowcast",
    subcommands = {EvaluateCommand.class, EvaluateDemandCommand.class, ImportCommand.class, TrainCommand.class})
public final class FlowcastCommands {

  private static final Set<String> COMMANDS = Set.of("evaluate", "evaluate-demand", "import", "train");

  private FlowcastCommands() {}

  public static boolean handles(String[] args) {
    return args.length > 0 && COMMANDS.contains(args[0]);
  }

  public static int run(String[] args) {
    return new CommandLine(new FlowcastCommands()).setExecutionExceptionHandler(new LogErrors()).execute(args);
  }
}
