package dev.flowcast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The bad-input corpus under {@code src/test/resources/bad/}: per door, a table of cases (a tab
 * separates the columns; {@code #} starts a comment; {@code \n} in the last column is a new line,
 * {@code {{x*2001}}} 2,001 x's).
 */
public final class BadInputCorpus {

  private BadInputCorpus() {}

  /** The rows of {@code bad/<table>}, each as its columns (the last one may hold tabs). */
  public static List<Arguments> rows(String table, int columns) {
    List<Arguments> rows = new ArrayList<>();
    for (String line : read(table).split("\n", -1)) {
      if (line.isBlank() && !line.contains("\t") || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split("\t", columns);
      if (cells.length < columns) {
        String[] padded = new String[columns];
        System.arraycopy(cells, 0, padded, 0, cells.length);
        for (int i = cells.length; i < columns; i++) {
          padded[i] = "";
        }
        cells = padded;
      }
      cells[columns - 1] = repeated(cells[columns - 1].replace("\\n", "\n"));
      rows.add(Arguments.of((Object[]) cells));
    }
    return rows;
  }

  /** {@code {{x*2001}}} stands for 2,001 x's: long values without a long line. */
  private static String repeated(String cell) {
    return REPEATED.matcher(cell).replaceAll(m -> m.group(1).repeat(Integer.parseInt(m.group(2))));
  }

  private static final Pattern REPEATED = Pattern.compile("\\{\\{(.)\\*(\\d+)}}");

  public static byte[] bytes(String file) {
    try (InputStream in = BadInputCorpus.class.getResourceAsStream("/bad/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no corpus file bad/" + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(String file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }
}
