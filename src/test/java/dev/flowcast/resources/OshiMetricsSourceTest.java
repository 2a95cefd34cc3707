package dev.flowcast.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This machine, measured for real through OSHI. */
class OshiMetricsSourceTest {

  private final OshiMetricsSource source = new OshiMetricsSource(Clock.systemUTC(), 1000, 3000);

  @TempDir Path folder;

  @Test
  void shouldMeasureCapacitiesOfThisMachine() {
    ResourceSample sample = source.sample();

    assertThat(sample.cpuCapacity()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(sample.memoryCapacityMb()).isGreaterThan(0);
    assertThat(sample.memoryUsedMb()).isBetween(0.0, sample.memoryCapacityMb());
    assertThat(sample.networkCapacityMbps()).isGreaterThan(0);
    assertThat(sample.diskCapacityIops()).isEqualTo(3000);
    for (ResourceKind kind : ResourceKind.values()) {
      assertThat(sample.used(kind)).as(kind.key()).isGreaterThanOrEqualTo(0);
    }
  }

  /**
   * The one test of real load (what the monitor makes of a load is tested with a set load, in
   * MeasuredResourceMonitorTest and FitUnderLoadTest). Robust to a busy neighbour: with a burner
   * on every core the machine is busy whatever else runs, and other work only adds to the share.
   * What happens once the burners stop is not checked here: a neighbour may keep the cores busy.
   */
  @Test
  void shouldSeeEveryCoreBusyWhileBurnersRun() throws Exception {
    source.sample();
    ResourceSample busy;
    try (CpuBurner burner = CpuBurner.onEveryCore()) {
      Thread.sleep(300); // the burners get going before the measured interval starts
      source.sample();
      Thread.sleep(1500); // the interval the next sample measures
      busy = source.sample();
    }

    assertThat(busy.cpuUsed() / busy.cpuCapacity()).as("busy share under load").isGreaterThan(0.8);
  }

  @Test
  void shouldCountDiskWritesAsARate() throws IOException {
    source.sample();
    try (FileChannel channel = FileChannel.open(folder.resolve("load.bin"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
      ByteBuffer block = ByteBuffer.allocate(1 << 20);
      for (int i = 0; i < 32; i++) {
        block.rewind();
        channel.write(block);
      }
    }
    ResourceSample sample = source.sample();

    assertThat(sample.diskWriteBytesPerSecond()).as("32 MB written with DSYNC").isGreaterThan(0);
    assertThat(sample.diskWritesPerSecond()).isGreaterThan(0);
  }
}
