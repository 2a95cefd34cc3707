package dev.flowcast.decisions;

import java.time.Instant;
import java.util.List;

/** Every choice Flowcast makes, kept in the engine's database: queryable and training data. */
public interface DecisionLog {

  void record(Decision decision);

  List<Decision> find(DecisionQuery query);

  /** Decisions decided at or after {@code since} by kind and status; {@code user} null means everyone's. */
  List<DecisionCount> count(String user, Instant since);
}
