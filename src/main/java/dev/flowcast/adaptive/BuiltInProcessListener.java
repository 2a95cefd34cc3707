package dev.flowcast.adaptive;

import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * A listener to the start and the end of every instance of one process, which Flowcast's engine
 * plugin gives that process as it is parsed, so that the model need not carry it. It is a built-in
 * listener: migration and modification with {@code skipCustomListeners} still fire it. A component
 * with a process of its own declares a bean of this type (the queue keeps its list of waiting
 * requests so). The plugin is built before the engine: such a bean must not need the engine's
 * services.
 */
public interface BuiltInProcessListener extends ExecutionListener {

  /** The key of the process whose instances it hears start and end. */
  String processDefinitionKey();
}
