package dev.flowcast.capacity;

/** A provider could not take a request for a pool's size; the message says why, in words. */
public class CapacityRequestException extends RuntimeException {

  public CapacityRequestException(String message) {
    super(message);
  }

  public CapacityRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
