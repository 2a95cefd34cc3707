package dev.flowcast.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What a command prints with {@code --json} is read by programs: nothing else may reach standard output. */
class StandardOutputTest {

  @Test
  void shouldLeaveCommonsLoggingToSpringsBridgeWhichWritesNothingToStandardOutput() {
    // commons-logging's own factory, beside spring-jcl, announces its discovery on System.out
    // before the first line a command prints ("Standard Commons Logging discovery in action ...")
    assertThatThrownBy(() -> Class.forName("org.apache.commons.logging.impl.LogFactoryImpl"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
