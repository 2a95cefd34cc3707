package dev.flowcast.resources;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The measured series in table {@code flowcast_resource_sample}: raw samples and 1-minute
 * averages, per node, each with its own retention.
 */
public class ResourceHistory {

  /** How fine a stored row is. */
  public enum Resolution {
    RAW("raw"),
    MINUTE("1m");

    private final String column;

    Resolution(String column) {
      this.column = column;
    }
  }

  private final JdbcClient jdbc;
  private final String node;

  ResourceHistory(JdbcClient jdbc, String node) {
    this.jdbc = jdbc;
    this.node = node;
  }

  void store(ResourceSample s, Resolution resolution) {
    jdbc.sql(
            """
            insert into flowcast_resource_sample (node, resolution, sampled_at, cpu_capacity, cpu_used,
              memory_capacity_mb, memory_used_mb, network_capacity_mbps, network_in_bps, network_out_bps,
              disk_capacity_iops, disk_read_bps, disk_write_bps, disk_reads_ps, disk_writes_ps)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(node, resolution.column, Timestamp.from(s.at()), s.cpuCapacity(), s.cpuUsed(),
            s.memoryCapacityMb(), s.memoryUsedMb(), s.networkCapacityMbps(), s.networkInBytesPerSecond(),
            s.networkOutBytesPerSecond(), s.diskCapacityIops(), s.diskReadBytesPerSecond(),
            s.diskWriteBytesPerSecond(), s.diskReadsPerSecond(), s.diskWritesPerSecond())
        .update();
  }

  /** Deletes rows of this resolution older than {@code before}; returns how many. */
  int prune(Resolution resolution, Instant before) {
    return jdbc.sql("delete from flowcast_resource_sample where resolution = ? and sampled_at < ?")
        .params(resolution.column, Timestamp.from(before))
        .update();
  }

  /** This node's rows of one resolution since a moment, oldest first. */
  public List<ResourceSample> since(Resolution resolution, Instant from) {
    return jdbc.sql("select * from flowcast_resource_sample where node = ? and resolution = ? and sampled_at >= ?"
            + " order by sampled_at")
        .params(node, resolution.column, Timestamp.from(from))
        .query((rs, row) -> read(rs))
        .list();
  }

  private static ResourceSample read(ResultSet rs) throws SQLException {
    return new ResourceSample(rs.getTimestamp("sampled_at").toInstant(),
        rs.getDouble("cpu_capacity"), rs.getDouble("cpu_used"),
        rs.getDouble("memory_capacity_mb"), rs.getDouble("memory_used_mb"),
        rs.getDouble("network_capacity_mbps"), rs.getDouble("network_in_bps"), rs.getDouble("network_out_bps"),
        rs.getDouble("disk_capacity_iops"), rs.getDouble("disk_read_bps"), rs.getDouble("disk_write_bps"),
        rs.getDouble("disk_reads_ps"), rs.getDouble("disk_writes_ps"));
  }

  /** The average of samples, stamped with the first one's minute. */
  static ResourceSample average(List<ResourceSample> samples) {
    int n = samples.size();
    double[] sums = new double[12];
    for (ResourceSample s : samples) {
      double[] values = {s.cpuCapacity(), s.cpuUsed(), s.memoryCapacityMb(), s.memoryUsedMb(),
          s.networkCapacityMbps(), s.networkInBytesPerSecond(), s.networkOutBytesPerSecond(), s.diskCapacityIops(),
          s.diskReadBytesPerSecond(), s.diskWriteBytesPerSecond(), s.diskReadsPerSecond(), s.diskWritesPerSecond()};
      for (int i = 0; i < values.length; i++) {
        sums[i] += values[i] / n;
      }
    }
    Instant minute = samples.get(0).at().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    return new ResourceSample(minute, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7],
        sums[8], sums[9], sums[10], sums[11]);
  }
}
