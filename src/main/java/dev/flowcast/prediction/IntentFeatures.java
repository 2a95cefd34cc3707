package dev.flowcast.prediction;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

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
 *   <li>what everyone did lately after the same action ({@link TransitionHistory}).
 * </ul>
 */
final class IntentFeatures {

  private final Vocabulary vocabulary;
  private final int window;
  private final int slots;

  IntentFeatures(Vocabulary vocabulary, int window) {
    this.vocabulary = vocabulary;
    this.window = window;
    this.slots = vocabulary.classes() + 1; // each action, "none", "unknown"
  }

  int width() {
    return window * slots + window + 3 + 4 + 2 * vocabulary.actions().size() + 1 + 1 + vocabulary.actions().size() + 1;
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
    for (int w = 1; w <= window; w++) {
      names.add("gap" + w + "_log_seconds");
    }
    names.add("position");
    names.add("since_start_log_seconds");
    names.add("since_last_log_seconds");
    names.addAll(List.of("hour_sin", "hour_cos", "weekday_sin", "weekday_cos"));
    for (String action : vocabulary.actions()) {
      names.add("count=" + action);
    }
    for (String action : vocabulary.actions()) {
      names.add("share=" + action);
    }
    names.add("last_seen_before");
    names.add("system_load");
    for (String action : vocabulary.actions()) {
      names.add("lately_next=" + action);
    }
    names.add("lately_transitions_log");
    return names;
  }

  /**
   * @param now when the prediction is made (for a closed prefix in a log: the time of its last action)
   * @param systemLoad busy share of the machines at {@code now}, NaN when unknown
   * @param history everyone's recent transitions, or null when unknown
   */
  float[] encode(Session prefix, Instant now, double systemLoad, TransitionHistory history) {
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
    for (int w = 1; w <= window; w++) {
      int i = n - w;
      row[column++] = i >= 1 ? logSeconds(prefix.times().get(i - 1), prefix.times().get(i)) : Float.NaN;
    }
    row[column++] = n;
    row[column++] = n == 0 ? Float.NaN : logSeconds(prefix.times().get(0), now);
    row[column++] = n == 0 ? Float.NaN : logSeconds(prefix.times().get(n - 1), now);
    Instant last = n == 0 ? now : prefix.times().get(n - 1);
    ZonedDateTime at = last.atZone(ZoneOffset.UTC);
    double hour = (at.getHour() + at.getMinute() / 60.0) / 24.0 * 2 * Math.PI;
    double weekday = (at.getDayOfWeek().getValue() - 1) / 7.0 * 2 * Math.PI;
    row[column++] = (float) Math.sin(hour);
    row[column++] = (float) Math.cos(hour);
    row[column++] = (float) Math.sin(weekday);
    row[column++] = (float) Math.cos(weekday);
    int countsStart = column;
    int actions = vocabulary.actions().size();
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
    row[column++] = Double.isNaN(systemLoad) ? Float.NaN : (float) systemLoad;
    float[] lately = n == 0 || history == null ? nan(vocabulary.actions().size() + 1) : history.recent(prefix.actions().get(n - 1), now);
    System.arraycopy(lately, 0, row, column, lately.length);
    return row;
  }

  private static float[] nan(int size) {
    float[] values = new float[size];
    java.util.Arrays.fill(values, Float.NaN);
    return values;
  }

  private static float logSeconds(Instant from, Instant to) {
    return (float) Math.log1p(Math.max(0, Duration.between(from, to).toMillis() / 1000.0));
  }
}
