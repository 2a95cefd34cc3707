package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import javax.xml.datatype.DatatypeFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider of XML durations, which the engine looks up for every timer it sets, is named once
 * so that those lookups load it without searching the class path, and it is the provider the search
 * finds. (That the engine's start names it: {@link EngineIndexTest}.)
 */
class DatatypeFactoryProviderTest {

  private static final String PROPERTY = DatatypeFactory.DATATYPEFACTORY_PROPERTY;
  private String before;

  @BeforeEach
  void rememberTheProperty() {
    before = System.getProperty(PROPERTY);
    System.clearProperty(PROPERTY);
  }

  @AfterEach
  void restoreTheProperty() {
    if (before == null) {
      System.clearProperty(PROPERTY);
    } else {
      System.setProperty(PROPERTY, before);
    }
  }

  @Test
  void shouldNameTheProviderTheClassPathSearchFinds() throws Exception {
    String searched = DatatypeFactory.newInstance().getClass().getName();

    assertThat(DatatypeFactoryProvider.nameTheOneFound()).isEqualTo(searched);
    assertThat(System.getProperty(PROPERTY)).isEqualTo(searched);
    assertThat(DatatypeFactory.newInstance().getClass().getName()).isEqualTo(searched);
  }

  @Test
  void shouldLeaveAProviderAlreadyNamedAsItIs() {
    System.setProperty(PROPERTY, "org.example.TheirDatatypeFactory");

    assertThat(DatatypeFactoryProvider.nameTheOneFound()).isEqualTo("org.example.TheirDatatypeFactory");
    assertThat(System.getProperty(PROPERTY)).isEqualTo("org.example.TheirDatatypeFactory");
  }
}
