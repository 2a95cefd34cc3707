package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.BadInputCorpus;
import dev.flowcast.composer.BpmnFiles.InvalidFileException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken task components and templates from the bad-input corpus ({@code bad/components/},
 * {@code bad/templates/}): each is refused with a reason that names what to fix, external entities
 * and entity expansion included (the file is refused, nothing is read from the disk or expanded).
 */
class BadLibraryFilesTest {

  static Stream<Arguments> components() {
    return BadInputCorpus.rows("components/expected.tsv", 2).stream();
  }

  static Stream<Arguments> templates() {
    return BadInputCorpus.rows("templates/expected.tsv", 2).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("components")
  void shouldRefuseABrokenTaskComponent(String file, String fragment) {
    byte[] content = BadInputCorpus.bytes("components/" + file);

    assertThatThrownBy(() -> ComponentFileParser.parse(file, content))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageContaining(fragment)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("root:x:0:0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void shouldRefuseABrokenTemplate(String file, String fragment) {
    byte[] content = BadInputCorpus.bytes("templates/" + file);

    assertThatThrownBy(() -> TemplateFileParser.parse(file, content))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageContaining(fragment);
  }
}
