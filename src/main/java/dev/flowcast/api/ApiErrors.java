package dev.flowcast.api;

import dev.flowcast.composer.NotAuthorizedException;
import dev.flowcast.composer.UnknownIntentException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Turns the API's exceptions into answers with a status and a message that says what is wrong. */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
class ApiErrors {

  @ExceptionHandler({BadRequestException.class, UnknownIntentException.class})
  ResponseEntity<ApiError> badRequest(RuntimeException e) {
    return answer(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler(BodySizeLimitFilter.BodyTooLargeException.class)
  ResponseEntity<ApiError> tooLarge(BodySizeLimitFilter.BodyTooLargeException e) {
    return answer(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodySizeLimitFilter.BodyTooLargeException tooLarge) {
        return tooLarge(tooLarge);
      }
    }
    return answer(HttpStatus.BAD_REQUEST, "malformed request body");
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ApiError> badParameter(MethodArgumentTypeMismatchException e) {
    return answer(HttpStatus.BAD_REQUEST, "parameter '" + e.getName() + "' must be "
        + JsonProblems.kind(e.getRequiredType()) + ", not '" + e.getValue() + "'");
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
    return answer(HttpStatus.BAD_REQUEST, "parameter '" + e.getParameterName() + "' is required");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
    return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, unsupported(e));
  }

  /**
   * What a refused body type should have been. A body whose type a browser form can send
   * (text/plain, a form) is not taken for JSON: another site could post it with the credentials a
   * browser keeps.
   */
  static String unsupported(HttpMediaTypeNotSupportedException e) {
    List<String> supported = e.getSupportedMediaTypes().isEmpty() ? List.of(MediaType.APPLICATION_JSON_VALUE)
        : e.getSupportedMediaTypes().stream().map(MediaType::toString).toList();
    return "send the body with Content-Type " + String.join(" or ", supported)
        + (e.getContentType() == null ? "" : ", not " + e.getContentType());
  }

  @ExceptionHandler(NotAuthorizedException.class)
  ResponseEntity<ApiError> notAuthorized(NotAuthorizedException e) {
    return answer(HttpStatus.FORBIDDEN, e.getMessage() + " (decision " + e.decisionId() + ")");
  }

  @ExceptionHandler(ConflictException.class)
  ResponseEntity<ApiError> conflict(ConflictException e) {
    return answer(HttpStatus.CONFLICT, e.getMessage());
  }

  @ExceptionHandler(ForbiddenException.class)
  ResponseEntity<ApiError> forbidden(ForbiddenException e) {
    return answer(HttpStatus.FORBIDDEN, e.getMessage());
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<ApiError> notFound(NotFoundException e) {
    return answer(HttpStatus.NOT_FOUND, e.getMessage());
  }

  private static ResponseEntity<ApiError> answer(HttpStatus status, String message) {
    return ResponseEntity.status(status).body(ApiError.of(status, message));
  }
}
