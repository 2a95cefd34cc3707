package dev.flowcast.composer;

/**
 * A task of a template that names a capability instead of an implementation.
 *
 * @param stepId the deterministic id the assembled step gets ({@code step_<n>_<capability>})
 * @param position n, the task's place in the template's topological order, from 1
 */
public record AbstractTask(String stepId, int position, String capability, String name) {}
