package dev.flowcast.activity;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/** How Flowcast reads CSV: a header row, values trimmed, and a byte order mark (Excel writes one) ignored. */
public final class CsvFiles {

  private static final int BYTE_ORDER_MARK = '\uFEFF';

  private CsvFiles() {}

  /** A parser over the rows after the header; the header names the columns. */
  public static CSVParser withHeader(Reader reader) throws IOException {
    PushbackReader text = new PushbackReader(reader, 1);
    int first = text.read();
    if (first != -1 && first != BYTE_ORDER_MARK) {
      text.unread(first);
    }
    return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get().parse(text);
  }
}
