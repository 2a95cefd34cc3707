package dev.flowcast.activity;

import java.util.List;

/**
 * Which columns of a CSV event log hold what, so any log fits.
 *
 * @param timeFormat a {@link java.time.format.DateTimeFormatter} pattern, or {@code iso}
 * @param userColumn optional: without it, the case stands for the user
 * @param attributeColumns numeric columns kept as attributes
 */
public record CsvMapping(
    String caseColumn, String activityColumn, String timeColumn, String timeFormat, String userColumn,
    List<String> attributeColumns) {

  public static final CsvMapping TAX_ET_AL =
      new CsvMapping("CaseID", "ActivityID", "CompleteTimestamp", "yyyy-MM-dd HH:mm:ss", null, List.of());

  public CsvMapping {
    attributeColumns = attributeColumns == null ? List.of() : List.copyOf(attributeColumns);
  }
}
