package dev.flowcast.prediction;

/** A model could not be trained, loaded or asked; the message says why. */
public class PredictionException extends RuntimeException {

  public PredictionException(String message, Throwable cause) {
    super(message, cause);
  }
}
