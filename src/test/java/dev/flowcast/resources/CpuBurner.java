package dev.flowcast.resources;

import java.util.ArrayList;
import java.util.List;

/** Real CPU load for tests: threads that compute until closed. */
public final class CpuBurner implements AutoCloseable {

  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  static volatile long sink;

  CpuBurner(int threadCount) {
    for (int i = 0; i < threadCount; i++) {
      Thread thread = new Thread(this::burn, "cpu-burner-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  public static CpuBurner onEveryCore() {
    return new CpuBurner(Runtime.getRuntime().availableProcessors());
  }

  private void burn() {
    long x = 1;
    while (running) {
      for (int i = 0; i < 100_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      sink = x;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
