package dev.flowcast.prediction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What everyone did next after each action, lately: for an action and a moment, the shares of the
 * next actions among the last {@code window} transitions from that action that had happened
 * before the moment, over all sessions. It follows drift in how work flows, and it only looks at
 * the past: a transition counts once its second action has happened.
 */
final class TransitionHistory {

  /** The sessions to learn recent transitions from, for a vocabulary. */
  record Source(List<Session> sessions) {

    static Source of(List<Session> sessions) {
      return new Source(sessions);
    }

    TransitionHistory build(Vocabulary vocabulary, int window) {
      return new TransitionHistory(vocabulary, sessions, window);
    }

    /** The same sessions seen through a change of their actions (the class cap). */
    Source through(UnaryOperator<Session> view) {
      return new Source(sessions.stream().map(view).toList());
    }
  }

  private final Vocabulary vocabulary;
  private final int window;
  /** Per from-action: times of the transitions (when the next action happened), ascending. */
  private final Map<Integer, long[]> times = new HashMap<>();
  /** Per from-action: cumulative counts per next action, one row per transition plus a zero row. */
  private final Map<Integer, int[][]> cumulative = new HashMap<>();

  TransitionHistory(Vocabulary vocabulary, List<Session> sessions, int window) {
    this.vocabulary = vocabulary;
    this.window = window;
    Map<Integer, List<long[]>> byFrom = new HashMap<>();
    for (Session session : sessions) {
      for (int i = 1; i < session.length(); i++) {
        int from = vocabulary.indexOf(session.actions().get(i - 1));
        int to = vocabulary.indexOf(session.actions().get(i));
        if (to < vocabulary.actions().size()) {
          byFrom.computeIfAbsent(from, f -> new ArrayList<>()).add(new long[] {session.times().get(i).toEpochMilli(), to});
        }
      }
    }
    int actions = vocabulary.actions().size();
    byFrom.forEach((from, list) -> {
      list.sort((a, b) -> Long.compare(a[0], b[0]));
      long[] t = new long[list.size()];
      int[][] sums = new int[list.size() + 1][actions];
      for (int i = 0; i < list.size(); i++) {
        t[i] = list.get(i)[0];
        sums[i + 1] = sums[i].clone();
        sums[i + 1][(int) list.get(i)[1]]++;
      }
      times.put(from, t);
      cumulative.put(from, sums);
    });
  }

  int width() {
    return vocabulary.actions().size() + 1;
  }

  /** Shares of each next action, then how many transitions they rest on (log); NaN when none. */
  float[] recent(String lastAction, Instant before) {
    float[] out = new float[width()];
    int from = vocabulary.indexOf(lastAction);
    long[] t = times.get(from);
    if (t == null) {
      Arrays.fill(out, Float.NaN);
      return out;
    }
    int end = lowerBound(t, before.toEpochMilli());
    int start = Math.max(0, end - window);
    int n = end - start;
    if (n == 0) {
      Arrays.fill(out, Float.NaN);
      return out;
    }
    int[][] sums = cumulative.get(from);
    for (int a = 0; a < out.length - 1; a++) {
      out[a] = (float) (sums[end][a] - sums[start][a]) / n;
    }
    out[out.length - 1] = (float) Math.log1p(n);
    return out;
  }

  /** The number of transitions strictly before {@code millis}. */
  private static int lowerBound(long[] t, long millis) {
    int lo = 0;
    int hi = t.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] < millis) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
