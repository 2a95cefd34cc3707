package dev.flowcast.demand;

import dev.flowcast.activity.CsvFiles;
import dev.flowcast.activity.TimeFormat;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** A resource series on a regular grid: values at start, start + step, start + 2·step ... */
public record DemandSeries(Instant start, Duration step, double[] values) {

  /** One measurement as read. */
  public record Point(Instant time, double value) {}

  /** Reads {@code time,value} rows from a CSV; a row that does not parse is refused with its line. */
  public static List<Point> read(Reader reader, String timeColumn, String valueColumn, String timeFormat) throws IOException {
    TimeFormat format = TimeFormat.of(timeFormat);
    List<Point> points = new ArrayList<>();
    try (CSVParser parser = CsvFiles.withHeader(reader)) {
      for (String column : List.of(timeColumn, valueColumn)) {
        if (!parser.getHeaderMap().containsKey(column)) {
          throw new IllegalArgumentException("line 1: no column '" + column + "'; the header has " + parser.getHeaderNames());
        }
      }
      for (CSVRecord record : parser) {
        long line = parser.getCurrentLineNumber();
        String time = record.get(timeColumn);
        String value = record.get(valueColumn);
        try {
          Instant at = format.parse(time);
          points.add(new Point(at, Double.parseDouble(value)));
        } catch (DateTimeParseException | NumberFormatException e) {
          throw new IllegalArgumentException("line " + line + ": cannot read time '" + time + "' and value '" + value + "'");
        }
      }
    }
    return points;
  }

  /** Averages the points of each step; a step without points is interpolated between its neighbours. */
  public static DemandSeries resample(List<Point> points, Duration step) {
    if (points.size() < 2) {
      throw new IllegalArgumentException("a series needs at least two points, not " + points.size());
    }
    List<Point> sorted = new ArrayList<>(points);
    sorted.sort((a, b) -> a.time().compareTo(b.time()));
    long stepMillis = step.toMillis();
    long start = sorted.get(0).time().toEpochMilli() / stepMillis * stepMillis;
    int size = (int) ((sorted.get(sorted.size() - 1).time().toEpochMilli() - start) / stepMillis) + 1;
    double[] sums = new double[size];
    int[] counts = new int[size];
    for (Point point : sorted) {
      int index = (int) ((point.time().toEpochMilli() - start) / stepMillis);
      sums[index] += point.value();
      counts[index]++;
    }
    double[] values = new double[size];
    int previous = -1;
    for (int i = 0; i < size; i++) {
      if (counts[i] == 0) {
        continue;
      }
      values[i] = sums[i] / counts[i];
      for (int gap = previous + 1; gap < i && previous >= 0; gap++) {
        double share = (double) (gap - previous) / (i - previous);
        values[gap] = values[previous] + share * (values[i] - values[previous]);
      }
      previous = i;
    }
    return new DemandSeries(Instant.ofEpochMilli(start), step, values);
  }

  public int length() {
    return values.length;
  }

  public Instant timeAt(int index) {
    return start.plus(step.multipliedBy(index));
  }
}
