package dev.flowcast.resources;

/**
 * Takes a measurement now, outside the sampling schedule: for a harness that drives time itself
 * (the strategy simulation), where the schedule is off.
 */
public interface ResourceSampling {

  void sampleNow();
}
