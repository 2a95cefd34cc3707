package dev.flowcast.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the demand evaluation lands in this change. */
@Command(name = "evaluate-demand")
class EvaluateDemandCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 2;
  }
}
