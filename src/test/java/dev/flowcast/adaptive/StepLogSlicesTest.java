package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A tick names its running instances in queries of at most 500 ids, every id exactly once. */
class StepLogSlicesTest {

  @Test
  void shouldNameEveryIdOnceInSlicesOfAtMost500() {
    List<String> ids = IntStream.range(0, 1001).mapToObj(i -> "pi-" + i).toList();

    List<List<String>> slices = StepLog.slices(ids);

    assertThat(slices).extracting(List::size).containsExactly(500, 500, 1);
    assertThat(slices.stream().flatMap(List::stream).toList()).isEqualTo(ids);
    assertThat(StepLog.slices(List.of())).isEmpty();
  }
}
