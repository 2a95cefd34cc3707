package dev.flowcast.worker;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import java.lang.reflect.Field;
import org.camunda.bpm.engine.rest.impl.FetchAndLockContextListener;
import org.camunda.bpm.engine.rest.spi.FetchAndLockHandler;

/**
 * Camunda 7.24's REST API keeps one long-polling handler for the whole JVM in a static field, stops
 * it when any web application context ends, and never starts another: in a test suite the contexts
 * of earlier tests have ended before a worker test starts, and its workers' fetch-and-lock requests
 * then go unanswered until their read time-out (minutes). Operaton clears the field when it stops the
 * handler, and the next context starts a new one; so does this, for Camunda, before workers poll.
 */
final class LongPolling {

  private LongPolling() {}

  static void answeredIn(ServletContext servletContext) throws ReflectiveOperationException {
    Field handler = FetchAndLockContextListener.class.getDeclaredField("fetchAndLockHandler");
    handler.setAccessible(true);
    if (!(handler.get(null) instanceof FetchAndLockHandler)) {
      return; // none yet, or Operaton's holder, which a stopped handler leaves empty
    }
    // whether the one there was stopped by an ended context cannot be asked: a new one serves
    // every request from now on (the old one, if running, answers those it already holds)
    handler.set(null, null);
    new FetchAndLockContextListener().contextInitialized(new ServletContextEvent(servletContext));
  }
}
