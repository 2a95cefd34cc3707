package dev.flowcast.api;

/** What the request names does not exist: 404 with this message. */
class NotFoundException extends RuntimeException {

  NotFoundException(String message) {
    super(message);
  }
}
