package dev.flowcast.api;

/** The request is valid but cannot be done in the present state: 409 with this message. */
class ConflictException extends RuntimeException {

  ConflictException(String message) {
    super(message);
  }
}
