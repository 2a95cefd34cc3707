package dev.flowcast.decisions;

/** How many decisions of one kind ended with one status. */
public record DecisionCount(Decision.Kind kind, String status, long count) {}
