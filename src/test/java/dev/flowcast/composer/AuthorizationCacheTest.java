package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache of the engine's answers about rights: how long an answer lives, and what forgets it. */
class AuthorizationCacheTest {

  final AtomicLong nanos = new AtomicLong(1_000);
  final AtomicInteger asked = new AtomicInteger();
  final AuthorizationCache cache = new AuthorizationCache(Duration.ofSeconds(10), nanos::get);

  @Test
  void shouldReuseAnAnswerUntilItsTimeToLiveHasPassed() {
    assertThat(cache.answer("alice may start x", this::askEngine)).isEqualTo(1);

    nanos.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
    assertThat(cache.answer("alice may start x", this::askEngine)).isEqualTo(1);

    nanos.addAndGet(1);
    assertThat(cache.answer("alice may start x", this::askEngine)).isEqualTo(2);
  }

  @Test
  void shouldForgetEveryAnswerWhenRightsChange() {
    cache.answer("alice may start x", this::askEngine);
    cache.answer("bob may start x", this::askEngine);

    cache.invalidate();

    assertThat(cache.answer("alice may start x", this::askEngine)).isEqualTo(3);
    assertThat(cache.answer("bob may start x", this::askEngine)).isEqualTo(4);
  }

  @Test
  void shouldNotKeepAnAnswerReadWhileRightsWereChanging() {
    // the engine is asked, and before its answer arrives a command changes rights
    assertThat(cache.answer("alice may start x", () -> {
      int answer = askEngine();
      cache.invalidate();
      return answer;
    })).isEqualTo(1);

    assertThat(cache.answer("alice may start x", this::askEngine)).isEqualTo(2);
  }

  @Test
  void shouldAskTheEngineEveryTimeWhenTheTimeToLiveIsZero() {
    AuthorizationCache none = new AuthorizationCache(Duration.ZERO, nanos::get);

    none.answer("alice may start x", this::askEngine);
    none.answer("alice may start x", this::askEngine);

    assertThat(asked).hasValue(2);
    assertThat(none.size()).isZero();
  }

  @Test
  void shouldStayBoundedWhenManyUsersAsk() {
    for (int i = 0; i < AuthorizationCache.MAX_ANSWERS * 2; i++) {
      cache.answer("user " + i, this::askEngine);
    }

    assertThat(cache.size()).isLessThanOrEqualTo(AuthorizationCache.MAX_ANSWERS);
  }

  @Test
  void shouldRefuseANegativeTimeToLive() {
    assertThatThrownBy(() -> new AuthorizationCache(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }

  private int askEngine() {
    return asked.incrementAndGet();
  }
}
