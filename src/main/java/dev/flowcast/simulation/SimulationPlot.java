package dev.flowcast.simulation;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report as a picture: cost against SLA misses per strategy (lower left is better), and the
 * timeline of one strategy: the background load on the on-demand pool, the vCPU its requests held
 * in each pool, and when the adaptive watcher switched instances.
 */
public final class SimulationPlot {

  private SimulationPlot() {}

  public static void write(SimulationReport report, Path png) throws IOException {
    List<Chart<?, ?>> charts = new ArrayList<>(List.of(costAgainstMisses(report), timeline(report)));
    boolean elastic = report.timelines().values().stream()
        .anyMatch(points -> !points.isEmpty() && !points.get(0).readyVcpu().isEmpty());
    if (elastic) {
      charts.add(poolSizes(report));
    }
    String name = png.toString().endsWith(".png") ? png.toString().substring(0, png.toString().length() - 4)
        : png.toString();
    BitmapEncoder.saveBitmap(charts, charts.size(), 1, name, BitmapEncoder.BitmapFormat.PNG);
  }

  private static XYChart costAgainstMisses(SimulationReport report) {
    XYChart chart = new XYChartBuilder().width(900).height(450)
        .title("Cost against SLA misses per strategy (lower left is better)")
        .xAxisTitle("SLA misses (requests)").yAxisTitle("cost (" + report.replay().getOrDefault("currency", "USD") + ")")
        .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(14);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    for (Map.Entry<String, SimulationReport.Figures> entry : report.strategies().entrySet()) {
      chart.addSeries(entry.getKey(), new double[] {entry.getValue().slaMisses()},
          new double[] {entry.getValue().cost()});
    }
    return chart;
  }

  /**
   * Each strategy's elastic pools over time, ready vCPU of all pools together, beside the demand
   * (vCPU its requests held) of the strategy the timeline shows.
   */
  private static XYChart poolSizes(SimulationReport report) {
    XYChart chart = new XYChartBuilder().width(900).height(450)
        .title("Pool sizes over time (ready vCPU, all pools) beside demand")
        .xAxisTitle("minutes from the first request (warm-up below 0)").yAxisTitle("vCPU").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    for (Map.Entry<String, List<ReplayRun.TimelinePoint>> entry : report.timelines().entrySet()) {
      List<ReplayRun.TimelinePoint> points = entry.getValue();
      if (points.isEmpty() || points.get(0).readyVcpu().isEmpty()) {
        continue;
      }
      XYSeries ready = chart.addSeries(entry.getKey() + " ready", points.stream()
          .mapToDouble(ReplayRun.TimelinePoint::minute).toArray(), points.stream()
          .mapToDouble(p -> p.readyVcpu().values().stream().mapToDouble(Double::doubleValue).sum()).toArray());
      ready.setMarker(SeriesMarkers.NONE);
    }
    String shown = shownIn(report);
    List<ReplayRun.TimelinePoint> points = report.timelines().get(shown);
    XYSeries demand = chart.addSeries("demand held (" + shown + ")", points.stream()
        .mapToDouble(ReplayRun.TimelinePoint::minute).toArray(), points.stream()
        .mapToDouble(p -> p.usedVcpu().values().stream().mapToDouble(Double::doubleValue).sum()).toArray());
    demand.setMarker(SeriesMarkers.NONE);
    demand.setLineColor(Color.BLACK);
    return chart;
  }

  private static String shownIn(SimulationReport report) {
    return report.timelines().containsKey(Strategy.FLOWCAST.label()) ? Strategy.FLOWCAST.label()
        : report.timelines().keySet().iterator().next();
  }

  private static XYChart timeline(SimulationReport report) {
    String shown = shownIn(report);
    List<ReplayRun.TimelinePoint> points = report.timelines().get(shown);
    XYChart chart = new XYChartBuilder().width(900).height(450)
        .title("Timeline of " + shown + ": load, capacity held, switches")
        .xAxisTitle("minutes from the first request (warm-up below 0)").yAxisTitle("vCPU").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(4);
    double[] minutes = points.stream().mapToDouble(ReplayRun.TimelinePoint::minute).toArray();
    double onDemandVcpu = report.replay().get("onDemandVcpu") instanceof Number n ? n.doubleValue() : 16;
    XYSeries load = chart.addSeries("background load on on-demand (vCPU)", minutes,
        points.stream().mapToDouble(p -> p.backgroundShare() * onDemandVcpu).toArray());
    load.setMarker(SeriesMarkers.NONE);
    load.setLineColor(Color.GRAY);
    if (!points.isEmpty()) {
      for (String pool : points.get(0).usedVcpu().keySet()) {
        XYSeries used = chart.addSeries("held in " + pool, minutes,
            points.stream().mapToDouble(p -> p.usedVcpu().getOrDefault(pool, 0.0)).toArray());
        used.setMarker(SeriesMarkers.NONE);
      }
    }
    List<Double> switchMinutes = new ArrayList<>();
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).switches() > points.get(i - 1).switches()) {
        switchMinutes.add(points.get(i).minute());
      }
    }
    if (!switchMinutes.isEmpty()) {
      XYSeries switches = chart.addSeries("switch", switchMinutes.stream().mapToDouble(Double::doubleValue).toArray(),
          switchMinutes.stream().mapToDouble(m -> 0.0).toArray());
      switches.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      switches.setMarker(SeriesMarkers.TRIANGLE_UP);
      switches.setMarkerColor(Color.RED);
    }
    return chart;
  }
}
