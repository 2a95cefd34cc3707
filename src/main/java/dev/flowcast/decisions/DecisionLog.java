package dev.flowcast.decisions;

import java.util.List;

/** Every choice Flowcast makes, kept in the engine's database: queryable and training data. */
public interface DecisionLog {

  void record(Decision decision);

  List<Decision> find(DecisionQuery query);
}
