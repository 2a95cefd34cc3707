package dev.flowcast.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error, so standard output stays clean for --json. On a terminal it
 * redraws one line; into a file or a pipe (CI logs) it writes a line at every tenth of the work
 * instead of a line per redraw. It reaches 100 % only when the work has ended.
 */
final class Progress implements AutoCloseable {

  private final ProgressBar bar;
  private final String task;
  private final long total;
  private final PrintStream plain;
  private long reported = -1;

  Progress(String task, long total) {
    this(task, total, System.console() != null, System.err);
  }

  Progress(String task, long total, boolean terminal, PrintStream err) {
    this.task = task;
    this.total = total;
    this.plain = terminal ? null : err;
    this.bar = !terminal ? null : new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
        .setUpdateIntervalMillis(200)
        .build();
  }

  IntConsumer asStepTo() {
    return bar != null ? bar::stepTo : this::printTenth;
  }

  private synchronized void printTenth(int done) {
    long tenth = total <= 0 ? 10 : Math.min(10, done * 10L / total);
    if (tenth > reported) {
      reported = tenth;
      plain.printf(Locale.ROOT, "%s: %d%% (%d of %d)%n", task, tenth * 10, done, total);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
