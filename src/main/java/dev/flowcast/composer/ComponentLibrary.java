package dev.flowcast.composer;

import java.util.List;

/** The task components the composer can bind, and the files that were refused. */
public interface ComponentLibrary {

  List<TaskComponent> components();

  List<LoadProblem> problems();

  default List<TaskComponent> providing(String capability) {
    return components().stream().filter(c -> c.capability().equals(capability)).toList();
  }
}
