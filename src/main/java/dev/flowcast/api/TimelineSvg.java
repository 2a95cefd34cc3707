package dev.flowcast.api;

import dev.flowcast.decisions.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One instance's decision timeline drawn as SVG: a bar per step run (green completed, grey
 * cancelled), a line per switch with its status, the composition at zero.
 */
final class TimelineSvg {

  private static final int WIDTH = 960;
  private static final int LEFT = 300;
  private static final int ROW = 26;
  private static final int TOP = 40;

  private TimelineSvg() {}

  static String draw(String processInstanceId, List<Decision> decisions) {
    List<Decision> ordered = decisions.stream().sorted(Comparator.comparing(Decision::decidedAt)).toList();
    List<Decision> steps = ordered.stream().filter(d -> d.kind() == Decision.Kind.STEP).toList();
    Instant start = ordered.stream().map(TimelineSvg::startOf).min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    Instant end = ordered.stream().map(Decision::decidedAt).max(Comparator.naturalOrder()).orElse(start);
    double span = Math.max(1, Duration.between(start, end).toMillis() / 1000.0);
    double scale = (WIDTH - LEFT - 20) / span;
    int height = TOP + ROW * (steps.size() + 1) + 40;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        WIDTH, height));
    svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\">Instance %s: %.0f s</text>%n",
        escape(processInstanceId), span));
    int row = 0;
    for (Decision step : steps) {
      double x = LEFT + Duration.between(start, startOf(step)).toMillis() / 1000.0 * scale;
      double seconds = number(step.details().get("seconds"));
      int y = TOP + row * ROW;
      String color = "COMPLETED".equals(step.status()) ? "#4caf50" : "#9e9e9e";
      svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s %s@%s</text>%n", y + 15,
          escape(String.valueOf(step.details().get("stepId"))), escape(String.valueOf(step.details().get("component"))),
          escape(String.valueOf(step.details().get("pool")))));
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"><title>%s</title></rect>%n",
          x, y + 2, Math.max(1, seconds * scale), color, escape(step.reason())));
      row++;
    }
    int bottom = TOP + row * ROW;
    for (Decision decision : ordered) {
      if (decision.kind() != Decision.Kind.SWITCH) {
        continue;
      }
      double x = LEFT + Duration.between(start, decision.decidedAt()).toMillis() / 1000.0 * scale;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e53935\" stroke-width=\"2\"><title>%s</title></line>%n",
          x, TOP - 5, x, bottom + 5, escape(decision.reason())));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#e53935\">%s</text>%n",
          x + 3, bottom + 20, escape("SWITCH " + decision.status())));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#666\">0 s</text>%n", LEFT, height - 5));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#666\" text-anchor=\"end\">%.0f s</text>%n",
        WIDTH - 20, height - 5, span));
    return svg.append("</svg>\n").toString();
  }

  /** A step's start; anything else happens when it was decided. */
  private static Instant startOf(Decision decision) {
    Object started = decision.details().get("startedAt");
    return started == null ? decision.decidedAt() : Instant.parse(started.toString());
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }

  static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
