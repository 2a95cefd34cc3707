package dev.flowcast.cli;

import java.io.PrintStream;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on standard error, so standard output stays clean for --json: a bar on a terminal;
 * otherwise (a log file, a CI job) a line at each quarter, since a redrawn bar would be hundreds
 * of lines there. It reaches 100 % only when the work has ended.
 */
final class Progress implements AutoCloseable {

  private static final int LINES = 4;

  private final ProgressBar bar;
  private final String task;
  private final long total;
  private final PrintStream plain;
  private int quartersShown = -1;

  Progress(String task, long total) {
    this(task, total, System.console() != null, System.err);
  }

  Progress(String task, long total, boolean terminal, PrintStream err) {
    this.task = task;
    this.total = Math.max(1, total);
    this.plain = terminal ? null : err;
    this.bar = !terminal ? null : new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
        .setUpdateIntervalMillis(200)
        .build();
    if (plain != null) {
      stepTo(0);
    }
  }

  IntConsumer asStepTo() {
    return this::stepTo;
  }

  private synchronized void stepTo(int done) {
    if (bar != null) {
      bar.stepTo(done);
      return;
    }
    int quarters = (int) Math.min(LINES, (long) done * LINES / total);
    if (quarters > quartersShown) {
      quartersShown = quarters;
      plain.printf("%s: %d%%%n", task, quarters * 100 / LINES);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
