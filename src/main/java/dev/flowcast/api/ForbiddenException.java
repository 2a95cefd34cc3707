package dev.flowcast.api;

/** The authenticated user may not do this: 403 with this message. */
class ForbiddenException extends RuntimeException {

  ForbiddenException(String message) {
    super(message);
  }
}
