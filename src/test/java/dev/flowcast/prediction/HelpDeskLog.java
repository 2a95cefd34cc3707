package dev.flowcast.prediction;

import dev.flowcast.activity.ActivityEvent;
import dev.flowcast.activity.CsvEventLogReader;
import dev.flowcast.activity.CsvMapping;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An event log split as Tax et al. split it: sessions in file order, the first 2/3 train, every
 * prefix of length 2 or more of the last 1/3 is to be predicted (at the time of its last action).
 */
record HelpDeskLog(List<Session> sessions, List<Session> training, List<Session> prefixes, List<Instant> at) {

  static HelpDeskLog read(Path log) throws IOException {
    List<ActivityEvent> events;
    try (Reader reader = Files.newBufferedReader(log)) {
      events = CsvEventLogReader.read(reader, CsvMapping.TAX_ET_AL);
    }
    List<Session> sessions = Session.of(events);
    List<Session> prefixes = new ArrayList<>();
    List<Instant> at = new ArrayList<>();
    for (Session session : sessions.subList(sessions.size() * 2 / 3, sessions.size())) {
      for (int length = 2; length <= session.length(); length++) {
        prefixes.add(session.prefix(length));
        at.add(session.times().get(length - 1));
      }
    }
    return new HelpDeskLog(sessions, sessions.subList(0, sessions.size() * 2 / 3), prefixes, at);
  }
}
