package dev.flowcast.arrivals;

import dev.flowcast.activity.ActivityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * When a session acts next, learned from what followed each action before: every gap from an
 * action to the next one in the same session, and how many sessions ended after it. Asked some
 * time after a session's latest action, it answers from the gaps that had not run out by then,
 * so that a log whose gaps are either seconds or days (help desks, approvals) is not flattened
 * into one average pace. Actions seen fewer than {@link #OWN_GAPS_FROM} times are answered from
 * the gaps of all actions.
 */
public final class NextActionTiming {

  /** How many gaps an action needs before its own are used. */
  static final int OWN_GAPS_FROM = 10;

  private final Map<String, Gaps> byAction;
  private final Gaps all;

  /** One action's followers: their gaps in seconds, sorted, the value of each so far summed, and the ends. */
  private record Gaps(double[] seconds, double[] valueBefore, int ends) {

    static Gaps of(List<Follower> followers, int ends, ToDoubleFunction<String> valueOfNext) {
      List<Follower> sorted = new ArrayList<>(followers);
      sorted.sort(Comparator.comparingDouble(Follower::seconds));
      double[] seconds = new double[sorted.size()];
      double[] valueBefore = new double[sorted.size() + 1];
      for (int i = 0; i < sorted.size(); i++) {
        seconds[i] = sorted.get(i).seconds();
        valueBefore[i + 1] = valueBefore[i] + valueOfNext.applyAsDouble(sorted.get(i).action());
      }
      return new Gaps(seconds, valueBefore, ends);
    }

    /** Σ value of the followers whose gap is in (elapsed + from, elapsed + to], ÷ those not come by elapsed. */
    double within(double elapsed, double from, double to, boolean valued) {
      int notCome = seconds.length - firstAbove(elapsed);
      if (notCome == 0) {
        return 0;
      }
      int low = firstAbove(elapsed + from);
      int high = firstAbove(elapsed + to);
      double inWindow = valued ? valueBefore[high] - valueBefore[low] : high - low;
      return inWindow / (notCome + ends);
    }

    private int firstAbove(double value) {
      int low = 0;
      int high = seconds.length;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (seconds[middle] <= value) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return low;
    }
  }

  private record Follower(double seconds, String action) {}

  private NextActionTiming(Map<String, Gaps> byAction, Gaps all) {
    this.byAction = byAction;
    this.all = all;
  }

  /**
   * Learns from the sessions of {@code events} ({@link ActivityEvent#session()}). A session's last
   * action counts as its end only when it happened before {@code endedBefore}: a later one may
   * still be followed.
   *
   * @param valueOfNext what {@link #valueWithin} sums for each following action (its load, say)
   */
  public static NextActionTiming learn(Collection<ActivityEvent> events, Instant endedBefore,
      ToDoubleFunction<String> valueOfNext) {
    Map<String, List<ActivityEvent>> sessions = new LinkedHashMap<>();
    for (ActivityEvent event : events) {
      sessions.computeIfAbsent(event.session(), s -> new ArrayList<>()).add(event);
    }
    Map<String, List<Follower>> followers = new HashMap<>();
    Map<String, Integer> ends = new HashMap<>();
    List<Follower> allFollowers = new ArrayList<>();
    int allEnds = 0;
    for (List<ActivityEvent> session : sessions.values()) {
      session.sort(Comparator.comparing(ActivityEvent::time));
      for (int i = 0; i < session.size(); i++) {
        String action = session.get(i).action();
        if (i + 1 < session.size()) {
          ActivityEvent next = session.get(i + 1);
          Follower follower = new Follower(
              Duration.between(session.get(i).time(), next.time()).toMillis() / 1000.0, next.action());
          followers.computeIfAbsent(action, a -> new ArrayList<>()).add(follower);
          allFollowers.add(follower);
        } else if (session.get(i).time().isBefore(endedBefore)) {
          ends.merge(action, 1, Integer::sum);
          allEnds++;
        }
      }
    }
    Map<String, Gaps> byAction = new HashMap<>();
    followers.forEach((action, list) -> {
      if (list.size() >= OWN_GAPS_FROM) {
        byAction.put(action, Gaps.of(list, ends.getOrDefault(action, 0), valueOfNext));
      }
    });
    return new NextActionTiming(byAction, Gaps.of(allFollowers, allEnds, valueOfNext));
  }

  /**
   * The chance that a session whose latest action was {@code lastAction}, {@code elapsed} seconds
   * ago, acts next between {@code from} and {@code to} seconds from now; empty when fewer than
   * {@link #OWN_GAPS_FROM} gaps were learned in all.
   */
  public OptionalDouble chanceWithin(String lastAction, double elapsed, double from, double to) {
    return all.seconds().length < OWN_GAPS_FROM ? OptionalDouble.empty()
        : OptionalDouble.of(gapsAfter(lastAction).within(elapsed, from, to, false));
  }

  /** As {@link #chanceWithin}, each following action weighted by its value: the value expected in that window. */
  public double valueWithin(String lastAction, double elapsed, double from, double to) {
    return gapsAfter(lastAction).within(elapsed, from, to, true);
  }

  private Gaps gapsAfter(String action) {
    return byAction.getOrDefault(action, all);
  }
}
