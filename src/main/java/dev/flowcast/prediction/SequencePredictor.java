package dev.flowcast.prediction;

import java.time.Instant;
import java.util.List;

/** Anything that turns session prefixes into a distribution over the vocabulary's classes. */
interface SequencePredictor {

  String name();

  /** One distribution per prefix, each summing to 1, over {@link Vocabulary#classes()}. */
  double[][] predict(List<Session> prefixes, List<Instant> at);
}
