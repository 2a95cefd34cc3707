package dev.flowcast.api;

import java.time.Instant;

/** The body of every error answer of the Flowcast REST API. */
record ApiError(Instant timestamp, int status, String error, String message) {

  static ApiError of(org.springframework.http.HttpStatus status, String message) {
    return new ApiError(Instant.now(), status.value(), status.getReasonPhrase(), message);
  }
}
