package dev.flowcast.prediction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The actions a model knows, as class indices 0..n-1, plus class n: the end of the session.
 * An action not seen in training maps to {@link #unknown()}, which no class predicts.
 */
final class Vocabulary {

  static final String END = "<end>";

  private final List<String> actions;
  private final Map<String, Integer> index = new HashMap<>();

  Vocabulary(Collection<String> actions) {
    this.actions = List.copyOf(new TreeSet<>(actions));
    for (int i = 0; i < this.actions.size(); i++) {
      index.put(this.actions.get(i), i);
    }
  }

  static Vocabulary of(List<Session> sessions) {
    List<String> all = new ArrayList<>();
    sessions.forEach(s -> all.addAll(s.actions()));
    return new Vocabulary(all);
  }

  /** Number of classes: every action and the end. */
  int classes() {
    return actions.size() + 1;
  }

  int end() {
    return actions.size();
  }

  /** An index outside the classes, for actions training never saw. */
  int unknown() {
    return actions.size() + 1;
  }

  int indexOf(String action) {
    return index.getOrDefault(action, unknown());
  }

  String label(int classIndex) {
    return classIndex == end() ? END : actions.get(classIndex);
  }

  List<String> actions() {
    return actions;
  }
}
