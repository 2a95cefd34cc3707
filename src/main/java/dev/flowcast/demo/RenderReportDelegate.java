package dev.flowcast.demo;

import java.util.Map;
import dev.flowcast.config.ProcessVariables;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Example domain: rendering the report is real CPU work, sized by the request parameter
 * {@code reportComplexity} (rounds of SHA-256 over the query result, bounded), stored in
 * {@code demo_report}. Output {@code reportDigest}. Component render-report-lite asks for a summary.
 */
class RenderReportDelegate extends DemoStep {

  static final long DEFAULT_ROUNDS = 20_000;
  static final long MAX_ROUNDS = 5_000_000;
  /** A summary (input {@code detail = summary}) hashes this many times fewer rounds. */
  static final long SUMMARY_SHARE = 10;

  private final JdbcClient jdbc;

  RenderReportDelegate(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  void run(Map<String, Object> in, Map<String, Object> out, Turn turn) {
    long rows = number(in, "reportRows", 0);
    Object totalValue = in.get("reportTotal");
    double total = totalValue instanceof Number n ? n.doubleValue() : 0.0;
    long rounds = Math.max(1, Math.min(MAX_ROUNDS, number(in, "reportComplexity", DEFAULT_ROUNDS)));
    if ("summary".equals(string(in, "detail"))) {
      rounds = Math.max(1, rounds / SUMMARY_SHARE);
    }
    String digest = digest(rows, total, rounds);
    jdbc.sql(
            "insert into demo_report (requested_by, source_table, row_count, total, digest, created_at)"
                + " values (?, ?, ?, ?, ?, ?)")
        .params(
            string(in, ProcessVariables.USER),
            String.valueOf(string(in, "reportSource")),
            rows, total, digest, Timestamp.from(Instant.now()))
        .update();
    out.put("reportDigest", digest);
  }

  static String digest(long rows, double total, long rounds) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] state = ByteBuffer.allocate(16).putLong(rows).putDouble(total).array();
      for (long i = 0; i < rounds; i++) {
        state = sha.digest(state);
      }
      return HexFormat.of().formatHex(state);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
