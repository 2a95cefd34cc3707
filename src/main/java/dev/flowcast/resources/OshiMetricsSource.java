package dev.flowcast.resources;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;

/**
 * This machine, through OSHI: CPU from tick deltas, memory as reported, network and disk rates
 * from counter deltas between two calls. Loopback and interfaces without traffic count as zero.
 */
class OshiMetricsSource implements MetricsSource {

  private static final double BYTES_PER_MB = 1024.0 * 1024.0;
  private static final long MIN_INTERVAL_MILLIS = 500;

  private final HardwareAbstractionLayer hardware;
  private final Clock clock;
  private final double networkCapacityMbps;
  private final double diskCapacityIops;
  private Counters previous;

  OshiMetricsSource(Clock clock, double networkCapacityMbps, double diskCapacityIops) {
    this.hardware = new SystemInfo().getHardware();
    this.clock = clock;
    this.networkCapacityMbps = networkCapacityMbps;
    this.diskCapacityIops = diskCapacityIops;
    this.previous = counters();
  }

  @Override
  public String name() {
    return "oshi";
  }

  @Override
  public synchronized ResourceSample sample() {
    try {
      waitForMeasurableInterval();
      Counters now = counters();
      double seconds = Math.max(0.001, (now.nanos - previous.nanos) / 1e9);
      CentralProcessor processor = hardware.getProcessor();
      double busyShare = busyShare(previous.cpuTicks, now.cpuTicks);
      GlobalMemory memory = hardware.getMemory();
      double memoryTotalMb = memory.getTotal() / BYTES_PER_MB;
      ResourceSample sample =
          new ResourceSample(
              now.at,
              processor.getLogicalProcessorCount(),
              busyShare * processor.getLogicalProcessorCount(),
              memoryTotalMb,
              (memory.getTotal() - memory.getAvailable()) / BYTES_PER_MB,
              now.linkMbps > 0 ? now.linkMbps : networkCapacityMbps,
              rate(now.networkIn, previous.networkIn, seconds),
              rate(now.networkOut, previous.networkOut, seconds),
              diskCapacityIops,
              rate(now.diskReadBytes, previous.diskReadBytes, seconds),
              rate(now.diskWriteBytes, previous.diskWriteBytes, seconds),
              rate(now.diskReads, previous.diskReads, seconds),
              rate(now.diskWrites, previous.diskWrites, seconds));
      previous = now;
      return sample;
    } catch (RuntimeException e) {
      throw new MetricsUnavailableException("OSHI could not read the system: " + e.getMessage(), e);
    }
  }

  /** Tick and counter deltas over a few milliseconds say nothing: measure over half a second at least. */
  private void waitForMeasurableInterval() {
    long elapsedMillis = (System.nanoTime() - previous.nanos) / 1_000_000;
    if (elapsedMillis < MIN_INTERVAL_MILLIS) {
      try {
        Thread.sleep(MIN_INTERVAL_MILLIS - elapsedMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static double busyShare(long[] before, long[] after) {
    long total = 0;
    long idle = 0;
    for (CentralProcessor.TickType type : CentralProcessor.TickType.values()) {
      long delta = after[type.getIndex()] - before[type.getIndex()];
      total += delta;
      if (type == CentralProcessor.TickType.IDLE || type == CentralProcessor.TickType.IOWAIT) {
        idle += delta;
      }
    }
    return total <= 0 ? 0.0 : Math.min(1.0, Math.max(0.0, (double) (total - idle) / total));
  }

  /** A counter that went backwards (a reset, an interface that came and went) gives no rate. */
  private static double rate(long now, long before, double seconds) {
    return now < before ? 0.0 : (now - before) / seconds;
  }

  private Counters counters() {
    long networkIn = 0;
    long networkOut = 0;
    double linkMbps = 0;
    List<NetworkIF> interfaces = hardware.getNetworkIFs(false);
    for (NetworkIF network : interfaces) {
      network.updateAttributes();
      networkIn += network.getBytesRecv();
      networkOut += network.getBytesSent();
      linkMbps += network.getSpeed() / 1_000_000.0;
    }
    long readBytes = 0;
    long writeBytes = 0;
    long reads = 0;
    long writes = 0;
    for (HWDiskStore disk : hardware.getDiskStores()) {
      disk.updateAttributes();
      readBytes += disk.getReadBytes();
      writeBytes += disk.getWriteBytes();
      reads += disk.getReads();
      writes += disk.getWrites();
    }
    return new Counters(clock.instant(), System.nanoTime(), hardware.getProcessor().getSystemCpuLoadTicks(),
        networkIn, networkOut, linkMbps, readBytes, writeBytes, reads, writes);
  }

  private record Counters(
      Instant at, long nanos, long[] cpuTicks, long networkIn, long networkOut, double linkMbps,
      long diskReadBytes, long diskWriteBytes, long diskReads, long diskWrites) {}
}
