package dev.flowcast.resources;

/**
 * A projected amount at one horizon: the expected value and an upper bound (the upper quantile of
 * use, so the lower of available).
 */
public record Projection(double expected, double upper) {}
