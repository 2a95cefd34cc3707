package dev.flowcast.api;

import dev.flowcast.capacity.CapacityStatus;
import dev.flowcast.decisions.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Elastic pools' sizes over time as SVG, one panel per pool: the size the planner wanted (a step
 * line through its SCALE decisions, blue) and the ready units at each decision (green dots), up
 * to now; failed requests as red marks.
 */
final class CapacitySvg {

  private static final int WIDTH = 960;
  private static final int LEFT = 140;
  private static final int PANEL = 90;
  private static final int TOP = 40;

  private CapacitySvg() {}

  static String draw(List<CapacityStatus.PoolState> pools, List<Decision> scaled, Instant since, Instant now) {
    double span = Math.max(1, Duration.between(since, now).toMillis() / 1000.0);
    double scale = (WIDTH - LEFT - 20) / span;
    int height = TOP + PANEL * Math.max(1, pools.size()) + 20;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        WIDTH, height));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"10\" y=\"20\" font-size=\"14\">Elastic pools, units over the last %.1f h (blue: wanted, green: ready)</text>%n",
        span / 3600));
    if (pools.isEmpty()) {
      svg.append("<text x=\"10\" y=\"60\">No elastic pool in the price catalog.</text>\n");
    }
    int row = 0;
    for (CapacityStatus.PoolState pool : pools) {
      int top = TOP + row * PANEL;
      int bottom = top + PANEL - 20;
      double unitHeight = (PANEL - 30.0) / Math.max(1, pool.maxUnits());
      List<Decision> ofPool = scaled.stream().filter(d -> pool.pool().equals(d.details().get("pool")))
          .sorted(Comparator.comparing(Decision::decidedAt)).toList();
      svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", top + 15, TimelineSvg.escape(pool.pool())));
      svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" fill=\"#666\">max %d, now %s ready</text>%n",
          top + 31, pool.maxUnits(), pool.readyUnits() == null ? "?" : pool.readyUnits().toString()));
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>%n", LEFT, bottom, WIDTH - 20, bottom));
      List<String> points = new ArrayList<>();
      Integer level = ofPool.isEmpty() ? null : number(ofPool.get(0).details().get("provisionedUnits"));
      double x = LEFT;
      if (level != null) {
        points.add(point(x, bottom - level * unitHeight));
      }
      for (Decision decision : ofPool) {
        x = LEFT + Duration.between(since, decision.decidedAt()).toMillis() / 1000.0 * scale;
        Integer desired = number(decision.details().get("desiredUnits"));
        Integer ready = number(decision.details().get("readyUnits"));
        if (ready != null) {
          svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#43a047\"/>%n",
              x, bottom - ready * unitHeight));
        }
        if ("FAILED".equals(decision.status())) {
          svg.append(String.format(Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e53935\"><title>%s</title></line>%n",
              x, top + 5, x, bottom, TimelineSvg.escape(decision.reason())));
          continue;
        }
        if (desired != null) {
          if (level != null) {
            points.add(point(x, bottom - level * unitHeight));
          }
          level = desired;
          points.add(point(x, bottom - level * unitHeight));
        }
      }
      if (level == null) {
        level = pool.desiredUnits();
        points.add(point(LEFT, bottom - level * unitHeight));
      }
      points.add(point(WIDTH - 20, bottom - level * unitHeight));
      svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"#1e88e5\" stroke-width=\"2\" points=\"%s\"/>%n",
          String.join(" ", points)));
      row++;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static String point(double x, double y) {
    return String.format(Locale.ROOT, "%.1f,%.1f", x, y);
  }

  private static Integer number(Object value) {
    return value instanceof Number n ? n.intValue() : null;
  }
}
