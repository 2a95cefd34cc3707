package dev.flowcast.composer;

/** A file that could not be loaded, and why; the rest of its library still loads. */
public record LoadProblem(String file, String reason) {}
