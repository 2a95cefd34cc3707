package dev.flowcast.api;

/** Input the API refuses with 400 and this message; nothing was changed. */
class BadRequestException extends RuntimeException {

  BadRequestException(String message) {
    super(message);
  }
}
