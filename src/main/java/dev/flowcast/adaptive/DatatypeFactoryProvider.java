package dev.flowcast.adaptive;

import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;

/**
 * The engine reads every timer's ISO-8601 duration with a new {@link DatatypeFactory}, and
 * {@link DatatypeFactory#newInstance()} looks its provider up on every call: unless the system
 * property {@value DatatypeFactory#DATATYPEFACTORY_PROPERTY} names it, through the service loader over
 * the whole class path, every nested jar of an executable jar opened in turn under the jars' locks.
 * Under load that was 5% of the request threads' CPU and 6% of the job executor's (each queued
 * request's timer), and a wait behind one another for those locks. So the provider that lookup finds
 * is looked up once and named in the property: every later lookup loads the same provider without a
 * search. A property already set is left as it is.
 */
final class DatatypeFactoryProvider {

  private DatatypeFactoryProvider() {}

  /** @return the provider named in the property now */
  static String nameTheOneFound() {
    String named = System.getProperty(DatatypeFactory.DATATYPEFACTORY_PROPERTY);
    if (named != null) {
      return named;
    }
    try {
      String found = DatatypeFactory.newInstance().getClass().getName();
      System.setProperty(DatatypeFactory.DATATYPEFACTORY_PROPERTY, found);
      return found;
    } catch (DatatypeConfigurationException e) {
      // left unnamed: the engine reports the same failure where it reads a duration
      return null;
    }
  }
}
