package dev.flowcast.api;

import java.util.Map;

/** The body of {@code POST /flowcast/api/requests}; {@code intent} null means "predict it". */
record RequestBody(String intent, Map<String, Object> parameters) {}
