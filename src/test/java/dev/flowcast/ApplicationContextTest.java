package dev.flowcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The application's context holds the application's beans only. */
@FlowcastTest
class ApplicationContextTest {

  @Autowired
  ApplicationContext context;

  @Test
  void shouldHaveOneClockThatEveryComponentShares() {
    assertThat(context.getBeansOfType(Clock.class)).hasSize(1);
  }

  @Test
  void shouldNotTakeInTheCommandLinesOwnContext() {
    assertThat(Arrays.stream(context.getBeanDefinitionNames())
        .map(name -> context.getType(name))
        .filter(type -> type != null && type.getPackageName().startsWith("dev.flowcast.cli")))
        .isEmpty();
  }
}
