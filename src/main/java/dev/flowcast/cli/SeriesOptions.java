package dev.flowcast.cli;

import dev.flowcast.demand.DemandSeries;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How the commands that read resource series read them: files, columns, time format, grid. */
final class SeriesOptions {

  @Option(names = "--series", required = true, description = "a CSV series (repeat for several)")
  List<Path> series;

  @Option(names = "--time-column", defaultValue = "timestamp", description = "default ${DEFAULT-VALUE}")
  String timeColumn;

  @Option(names = "--value-column", defaultValue = "value", description = "default ${DEFAULT-VALUE}")
  String valueColumn;

  @Option(names = "--time-format", defaultValue = "yyyy-MM-dd HH:mm:ss", description = "java.time pattern or 'iso'; default ${DEFAULT-VALUE}")
  String timeFormat;

  /** The command these options belong to: errors name it. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--step", defaultValue = "5m", description = "the grid to resample to, e.g. 5m, 1m, 1h; default ${DEFAULT-VALUE}")
  String step;

  /** One of the files, on the grid. */
  DemandSeries read(Path file) throws IOException {
    Duration grid = EvaluateDemandCommand.parseStep(step, command.commandLine());
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return DemandSeries.resample(DemandSeries.read(reader, timeColumn, valueColumn, timeFormat), grid);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    } catch (IOException | UncheckedIOException e) {
      // with several series, which one
      String problem = FlowcastCommands.fileProblem(e);
      throw new IOException(file + ": " + (problem != null ? problem : e.getMessage()), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
