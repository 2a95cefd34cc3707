package dev.flowcast.composer;

/**
 * A candidate's score with its parts kept, so a decision can explain itself. Every part is in
 * [0, 1]; {@code cost} is relative (1 for the cheapest candidate), {@code risk} is the chance of
 * an interruption while it runs.
 *
 * @param feasible whether the candidate's peak demand fits in the free capacity of its pools
 * @param costPerRun the absolute price of one run, in the catalog's currency
 */
public record Score(
    double total,
    double probability,
    double fit,
    double cost,
    double risk,
    boolean feasible,
    double costPerRun) {}
