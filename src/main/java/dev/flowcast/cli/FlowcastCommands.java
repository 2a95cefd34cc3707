package dev.flowcast.cli;

import dev.flowcast.activity.CsvEventLogReader;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line modes that run without the engine or the web server (the REST starter cannot
 * start in a non-web context, so they are dispatched before Spring starts).
 */
@Command(name = "flowcast",
    subcommands = {EvaluateCommand.class, EvaluateDemandCommand.class, EvaluateProjectionCommand.class, ImportCommand.class,
        TrainCommand.class, SimulateCommand.class, WorkerCommand.class})
public final class FlowcastCommands {

  private static final Set<String> COMMANDS = Set.of("evaluate", "evaluate-demand", "evaluate-projection", "import", "train",
      "simulate", "worker");

  private FlowcastCommands() {}

  public static boolean handles(String[] args) {
    return args.length > 0 && COMMANDS.contains(args[0]);
  }

  /** Exit code of a run refused for its arguments or its input files. */
  static final int BAD_INPUT = 2;

  public static int run(String[] args) {
    return new CommandLine(new FlowcastCommands())
        .setParameterExceptionHandler(FlowcastCommands::badArguments)
        .setExecutionExceptionHandler(FlowcastCommands::failed)
        .execute(args);
  }

  /** One line that says what is wrong and where to look, not the whole usage text. */
  private static int badArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println(command.getCommandName() + ": " + inOurWords(e.getMessage())
        + " (see: " + command.getCommandSpec().qualifiedName() + " --help)");
    return BAD_INPUT;
  }

  /**
   * What is wrong with a file that could not be read, in words (the JDK's say "Input length = 1" for
   * a file that is not text); null when it is not that kind of problem.
   */
  static String fileProblem(Exception e) {
    if (e instanceof java.nio.charset.CharacterCodingException
        || e instanceof java.io.UncheckedIOException unchecked && unchecked.getCause() instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text (a binary file?)";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.io.IOException && "Is a directory".equals(e.getMessage())) {
      return "is a directory, not a file";
    }
    return null;
  }

  /** Picocli names the Java type an option converts to ("'abc' is not a long"); say what to write. */
  static String inOurWords(String message) {
    return message == null ? "invalid arguments"
        : message.replaceAll("is not an? (int|long|short)\\b", "is not a whole number")
            .replaceAll("is not an? (double|float)\\b", "is not a number");
  }

  /**
   * A command that fails on its input says so in one line; a stack trace helps nobody who passed a
   * wrong file. Input problems are the exceptions our readers throw with the file's line; an event
   * log's are explained with the options that would fix them ({@link LogErrors}).
   */
  private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    String logProblem = LogErrors.explain(e, command);
    if (logProblem != null) {
      command.getErr().println(logProblem);
      return BAD_INPUT;
    }
    String file = fileProblem(e);
    String message = e instanceof java.nio.file.NoSuchFileException missing ? "no such file: " + missing.getFile()
        : file != null && e instanceof java.nio.file.FileSystemException named && named.getFile() != null
            ? named.getFile() + ": " + file
        : file != null ? file
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    command.getErr().println(command.getCommandName() + ": " + message.lines().findFirst().orElse(message));
    if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
        || e instanceof java.io.UncheckedIOException || e instanceof CsvEventLogReader.InvalidLogException) {
      return BAD_INPUT;
    }
    return CommandLine.ExitCode.SOFTWARE;
  }
}
