package dev.flowcast.adaptive;

/** What one step of a composed definition is bound to, from its call activity's extension properties. */
record StepBinding(String processKey, String stepId, String capability, String component, String pool) {}
