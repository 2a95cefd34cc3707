package dev.flowcast.worker;

/** A worker's call that cannot be taken; the message says why, in words. */
public class WorkerRefusal extends RuntimeException {

  /** What kind of refusal: the request is wrong, names nothing known, or conflicts with the state. */
  public enum Kind { BAD_REQUEST, NOT_FOUND, CONFLICT }

  private final Kind kind;

  public WorkerRefusal(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
