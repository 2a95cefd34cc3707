package dev.flowcast.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The online chains know every transition that happened before the moment, and nothing after. */
class OnlineMarkovTest {

  private final Instant t0 = Instant.parse("2026-11-23T09:00:00Z");
  private final Vocabulary vocabulary = new Vocabulary(List.of("login", "query", "report"));
  private final List<Session> history = List.of(
      new Session("a", "alice", List.of("login", "report"), List.of(t0, t0.plusSeconds(10))),
      new Session("b", "bob", List.of("login", "query"), List.of(t0.plusSeconds(20), t0.plusSeconds(30))));
  private final Session justLoggedIn = new Session("c", "carol", List.of("login"), List.of(t0.plusSeconds(40)));

  private int top(double[] distribution) {
    int best = 0;
    for (int c = 1; c < distribution.length; c++) {
      best = distribution[c] > distribution[best] ? c : best;
    }
    return best;
  }

  @Test
  void shouldCountOnlyTransitionsThatHappenedBeforeEachMoment() {
    OnlineMarkov chain = new OnlineMarkov(1, vocabulary, history);

    double[][] answers = chain.predict(List.of(justLoggedIn, justLoggedIn),
        List.of(t0.plusSeconds(25), t0.plusSeconds(30)));

    assertThat(top(answers[0])).as("only login → report had happened").isEqualTo(vocabulary.indexOf("report"));
    assertThat(answers[1][vocabulary.indexOf("query")]).as("login → query happens at 30 s, not before")
        .isEqualTo(answers[0][vocabulary.indexOf("query")]);
  }

  @Test
  void shouldAnswerAboutNowAsTheSweepWould() {
    OnlineMarkov chain = new OnlineMarkov(2, vocabulary, history);
    Instant now = t0.plusSeconds(3_600);

    double[] alone = chain.predict(List.of(justLoggedIn), List.of(now))[0];
    double[] withAnEarlierQuery = chain.predict(List.of(justLoggedIn, justLoggedIn), List.of(t0, now))[1];

    assertThat(alone).containsExactly(withAnEarlierQuery);
    assertThat(alone[vocabulary.indexOf("report")]).isEqualTo(alone[vocabulary.indexOf("query")]);
  }
}
