package dev.flowcast.prediction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The features of a session prefix for the intent model:
 *
 * <ul>
 *   <li>the last k actions, one-hot (with a slot for "none" and one for "unknown");
 *   <li>log seconds between each of the last k actions and the one before it;
 *   <li>position in the session; log seconds since the session started and since its last action;
 *   <li>hour of day and day of week of the last action, on the circle (sin, cos);
 *   <li>how often the session did each action so far (counts and shares), and whether it did
 *       the last action before;
 *   <li>the system load when the last action happened (missing when unknown);
 *   <li>what everyone did lately after the same action ({@link TransitionHistory});
 *   <li>optionally ({@link Group#REPEATS}): how many times in a row the last action was done, how
 *       long ago the session last did it before, how many distinct actions it did;
 *   <li>optionally ({@link Group#MARKOV}, stacking): the first- and second-order Markov chains'
 *       distributions, given by the caller.
 * </ul>
 *
 * The one-hot window and the system load are always there; the other groups can be left out, to
 * measure what each one brings (ablation).
 */
final class IntentFeatures {

  /** Groups of columns that can be switched off, in the order of the columns. */
  enum Group { GAPS, TIMES, CALENDAR, COUNTS, LATELY, REPEATS, MARKOV }

  /** The groups of the models trained before groups could be chosen. */
  static final Set<Group> ORIGINAL = EnumSet.of(Group.GAPS, Group.TIMES, Group.CALENDAR, Group.COUNTS, Group.LATELY);

  private final Vocabulary vocabulary;
  private final int window;
  private final int slots;
  private final Set<Group> groups;
  private final int width;

  IntentFeatures(Vocabulary vocabulary, int window) {
    this(vocabulary, window, ORIGINAL);
  }

  IntentFeatures(Vocabulary vocabulary, int window, Set<Group> groups) {
    this.vocabulary = vocabulary;
    this.window = window;
    this.slots = vocabulary.classes() + 1; // each action, "none", "unknown"
    this.groups = groups.isEmpty() ? EnumSet.noneOf(Group.class) : EnumSet.copyOf(groups);
    this.width = names().size();
  }

  /** Columns of the Markov group: two distributions over the classes. */
  int markovWidth() {
    return 2 * vocabulary.classes();
  }

  boolean uses(Group group) {
    return groups.contains(group);
  }

  int width() {
    return width;
  }

  List<String> names() {
    List<String> names = new ArrayList<>();
    for (int w = 1; w <= window; w++) {
      for (String action : vocabulary.actions()) {
        names.add("last" + w + "=" + action);
      }
      names.add("last" + w + "=none");
      names.add("last" + w + "=unknown");
    }
    if (uses(Group.GAPS)) {
      for (int w = 1; w <= window; w++) {
        names.add("gap" + w + "_log_seconds");
      }
    }
    if (uses(Group.TIMES)) {
      names.addAll(List.of("position", "since_start_log_seconds", "since_last_log_seconds"));
    }
    if (uses(Group.CALENDAR)) {
      names.addAll(List.of("hour_sin", "hour_cos", "weekday_sin", "weekday_cos"));
    }
    if (uses(Group.COUNTS)) {
      for (String action : vocabulary.actions()) {
        names.add("count=" + action);
      }
      for (String action : vocabulary.actions()) {
        names.add("share=" + action);
      }
      names.add("last_seen_before");
    }
    names.add("system_load");
    if (uses(Group.LATELY)) {
      for (String action : vocabulary.actions()) {
        names.add("lately_next=" + action);
      }
      names.add("lately_transitions_log");
    }
    if (uses(Group.REPEATS)) {
      names.addAll(List.of("last_run_length", "since_last_same_log_seconds", "distinct_actions"));
    }
    if (uses(Group.MARKOV)) {
      for (String order : List.of("markov1", "markov2")) {
        for (int c = 0; c < vocabulary.classes(); c++) {
          names.add(order + "=" + vocabulary.label(c));
        }
      }
    }
    return names;
  }

  /**
   * @param now when the prediction is made (for a closed prefix in a log: the time of its last action)
   * @param systemLoad busy share of the machines at {@code now}, NaN when unknown
   * @param history everyone's recent transitions, or null when unknown
   */
  float[] encode(Session prefix, Instant now, double systemLoad, TransitionHistory history) {
    return encode(prefix, now, systemLoad, history, null);
  }

  /** @param markov the Markov chains' distributions ({@link #markovWidth()} values) when the group is used */
  float[] encode(Session prefix, Instant now, double systemLoad, TransitionHistory history, double[] markov) {
    float[] row = new float[width()];
    int n = prefix.length();
    int column = 0;
    int none = vocabulary.actions().size();
    for (int w = 1; w <= window; w++) {
      int slot;
      if (n - w < 0) {
        slot = none;
      } else {
        int index = vocabulary.indexOf(prefix.actions().get(n - w));
        slot = index == vocabulary.unknown() ? none + 1 : index;
      }
      row[column + slot] = 1f;
      column += slots;
    }
    if (uses(Group.GAPS)) {
      for (int w = 1; w <= window; w++) {
        int i = n - w;
        row[column++] = i >= 1 ? logSeconds(prefix.times().get(i - 1), prefix.times().get(i)) : Float.NaN;
      }
    }
    if (uses(Group.TIMES)) {
      row[column++] = n;
      row[column++] = n == 0 ? Float.NaN : logSeconds(prefix.times().get(0), now);
      row[column++] = n == 0 ? Float.NaN : logSeconds(prefix.times().get(n - 1), now);
    }
    if (uses(Group.CALENDAR)) {
      long seconds = (n == 0 ? now : prefix.times().get(n - 1)).getEpochSecond();
      // in UTC: the hour and minute of the day, the weekday from Monday (1970-01-01 was a Thursday)
      long ofDay = Math.floorMod(seconds, 86_400L);
      double hour = (ofDay / 3600 + (ofDay / 60 % 60) / 60.0) / 24.0 * 2 * Math.PI;
      double weekday = Math.floorMod(Math.floorDiv(seconds, 86_400L) + 3, 7) / 7.0 * 2 * Math.PI;
      row[column++] = (float) Math.sin(hour);
      row[column++] = (float) Math.cos(hour);
      row[column++] = (float) Math.sin(weekday);
      row[column++] = (float) Math.cos(weekday);
    }
    int actions = vocabulary.actions().size();
    if (uses(Group.COUNTS)) {
      int countsStart = column;
      for (String action : prefix.actions()) {
        int index = vocabulary.indexOf(action);
        if (index < actions) {
          row[countsStart + index] += 1f;
        }
      }
      column += actions;
      for (int a = 0; a < actions; a++) {
        row[column + a] = n == 0 ? 0f : row[countsStart + a] / n;
      }
      column += actions;
      int lastIndex = n == 0 ? -1 : vocabulary.indexOf(prefix.actions().get(n - 1));
      row[column++] = lastIndex >= 0 && lastIndex < actions && row[countsStart + lastIndex] > 1 ? 1f : 0f;
    }
    row[column++] = Double.isNaN(systemLoad) ? Float.NaN : (float) systemLoad;
    if (uses(Group.LATELY)) {
      float[] lately = n == 0 || history == null ? nan(actions + 1) : history.recent(prefix.actions().get(n - 1), now);
      System.arraycopy(lately, 0, row, column, lately.length);
      column += lately.length;
    }
    if (uses(Group.REPEATS)) {
      column = repeats(prefix, row, column);
    }
    if (uses(Group.MARKOV)) {
      for (int c = 0; c < markovWidth(); c++) {
        row[column++] = markov == null ? Float.NaN : (float) markov[c];
      }
    }
    return row;
  }

  private static int repeats(Session prefix, float[] row, int column) {
    int n = prefix.length();
    int run = 0;
    int previousSame = -1;
    if (n > 0) {
      String last = prefix.actions().get(n - 1);
      run = 1;
      while (run < n && prefix.actions().get(n - 1 - run).equals(last)) {
        run++;
      }
      for (int i = n - 2; i >= 0 && previousSame < 0; i--) {
        if (prefix.actions().get(i).equals(last)) {
          previousSame = i;
        }
      }
    }
    row[column++] = run;
    row[column++] = previousSame < 0 ? Float.NaN : logSeconds(prefix.times().get(previousSame), prefix.times().get(n - 1));
    row[column++] = (float) new HashSet<>(prefix.actions()).size();
    return column;
  }

  private static float[] nan(int size) {
    float[] values = new float[size];
    Arrays.fill(values, Float.NaN);
    return values;
  }

  private static float logSeconds(Instant from, Instant to) {
    return (float) Math.log1p(Math.max(0, Duration.between(from, to).toMillis() / 1000.0));
  }
}
