package dev.flowcast.cli;

import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on standard error, so standard output stays clean for --json. */
final class Progress implements AutoCloseable {

  private final ProgressBar bar;

  Progress(String task, long total) {
    this.bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .setUpdateIntervalMillis(200)
        .build();
  }

  IntConsumer asStepTo() {
    return bar::stepTo;
  }

  @Override
  public void close() {
    bar.close();
  }
}
