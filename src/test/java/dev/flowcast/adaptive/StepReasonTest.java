package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The seconds in a step's logged reason: one decimal, the same on every machine. */
class StepReasonTest {

  @Test
  void shouldRoundToOneDecimalHalfUp() {
    assertThat(StepRecorder.tenths(12.25)).isEqualTo("12.3");
    assertThat(StepRecorder.tenths(0.04)).isEqualTo("0.0");
    assertThat(StepRecorder.tenths(3)).isEqualTo("3.0");
  }

  @Test
  void shouldWriteLongStepsWithoutAnExponent() {
    assertThat(StepRecorder.tenths(12_345_678.91)).isEqualTo("12345678.9");
  }

  @Test
  void shouldNotDependOnTheMachinesLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(StepRecorder.tenths(1.5)).isEqualTo("1.5");
    } finally {
      Locale.setDefault(before);
    }
  }
}
