package dev.flowcast.simulation;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import dev.flowcast.demand.DemandSeries;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is replayed: requests from an event log (its events in time order, a window of them, their
 * gaps divided by the speedup) and the background load of a resource series.
 *
 * @param arrivals the requests, by offset from the start of the replay
 * @param background the share of every pool that other work takes, over the replay
 * @param history the log's events before the window, as the activity a deployed Flowcast would
 *     have recorded: their intents, by offset from the start of the replay (negative), their gaps
 *     divided by the speedup like the replay's
 * @param logFrom when, in the log's time, the first request was made
 * @param speedup the log's gaps divided by this in the replay
 */
record Workload(List<Arrival> arrivals, BackgroundLoad background, List<Arrival> history, java.time.Instant logFrom,
    double speedup, Map<String, Object> description) {

  /** One request: when, from which case (its user), which activity and the intent it maps to. */
  record Arrival(int index, Duration at, String caseId, String activity, String intent) {}

  /** The log's time at an offset from the first request (negative before it). */
  java.time.Instant logTimeAt(Duration offset) {
    return logFrom.plusMillis(Math.round(offset.toMillis() * speedup));
  }

  Duration lastArrival() {
    return arrivals.isEmpty() ? Duration.ZERO : arrivals.get(arrivals.size() - 1).at();
  }

  /** @throws IllegalArgumentException naming the file, for a missing or malformed one */
  static Workload read(ReplaySource source) {
    List<ActivityEvent> events = readLog(source.log(), source.mapping());
    events.sort(Comparator.comparing(ActivityEvent::time));
    IntentTable intents = IntentTable.ranking(events.stream().collect(
        java.util.stream.Collectors.groupingBy(ActivityEvent::action, java.util.stream.Collectors.counting())));
    int from = (int) Math.floor(events.size() * source.windowStart());
    List<ActivityEvent> window = events.subList(from, Math.min(events.size(), from + source.requests()));
    if (window.isEmpty()) {
      throw new IllegalArgumentException(source.log() + ": no events in the chosen window");
    }
    java.time.Instant first = window.get(0).time();
    List<Arrival> arrivals = arrivals(window, first, source.speedup(), intents);
    List<Arrival> history = arrivals(events.subList(0, from), first, source.speedup(), intents);
    DemandSeries series = readSeries(source.series());
    BackgroundLoad background = new BackgroundLoad(series, source.seriesSpeedup(), source.peakLoad());
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("log", source.log().toString());
    description.put("series", source.series().toString());
    description.put("requests", arrivals.size());
    description.put("logFrom", first.toString());
    description.put("logTo", window.get(window.size() - 1).time().toString());
    description.put("speedup", source.speedup());
    description.put("seriesSpeedup", source.seriesSpeedup());
    description.put("peakLoad", source.peakLoad());
    description.put("replayedSeconds", arrivals.get(arrivals.size() - 1).at().toSeconds());
    description.put("history", history.size());
    description.put("intentOfActivity", intents.table());
    return new Workload(List.copyOf(arrivals), background, List.copyOf(history), first, source.speedup(),
        description);
  }

  private static List<Arrival> arrivals(List<ActivityEvent> events, java.time.Instant first, double speedup,
      IntentTable intents) {
    List<Arrival> arrivals = new ArrayList<>();
    for (ActivityEvent event : events) {
      long millis = (long) (Duration.between(first, event.time()).toMillis() / speedup);
      arrivals.add(new Arrival(arrivals.size(), Duration.ofMillis(millis), event.session(), event.action(),
          intents.intentOf(event.action())));
    }
    return arrivals;
  }

  private static List<ActivityEvent> readLog(Path log, CsvMapping mapping) {
    try (Reader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      return new ArrayList<>(CsvEventLogReader.read(reader, mapping));
    } catch (IOException e) {
      throw new IllegalArgumentException(log + ": cannot be read (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(log + ": " + e.getMessage(), e);
    }
  }

  private static DemandSeries readSeries(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return DemandSeries.resample(DemandSeries.read(reader, "timestamp", "value", "yyyy-MM-dd HH:mm:ss"),
          Duration.ofMinutes(5));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
