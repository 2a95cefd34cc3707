package dev.flowcast.resources;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.BadInputCorpus;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Broken price catalogs from the bad-input corpus ({@code bad/prices/}): refused with the line and what is wrong. */
class BadPriceCatalogsTest {

  static Stream<Arguments> catalogs() {
    return BadInputCorpus.rows("prices/expected.tsv", 2).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogs")
  void shouldRefuseABrokenCatalogNamingTheLine(String file, String fragment) {
    String text = BadInputCorpus.read("prices/" + file);

    assertThatThrownBy(() -> PriceCatalogParser.parse(text))
        .isInstanceOf(PriceCatalogParser.InvalidCatalogException.class)
        .hasMessageStartingWith("line ")
        .hasMessageContaining(fragment);
  }
}
