package dev.flowcast.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Completions of external tasks through the engine's REST API ({@code POST
 * /engine-rest/external-task/{id}/complete}), from any worker, Flowcast's or a user's: one that sets
 * a variable its component does not declare ({@code flowcast.outputs}) is refused before the engine
 * sees it, in the engine's own error format, and nothing changes. A completion the engine takes is
 * recorded against the step run.
 */
class CompletionCheck extends OncePerRequestFilter {

  private static final Pattern COMPLETE = Pattern.compile(".*/external-task/([^/]+)/complete/?");
  private static final int MAX_BODY = 4 * 1024 * 1024;

  private final WorkerService workers;
  private final ObjectMapper json;

  CompletionCheck(WorkerService workers, ObjectMapper json) {
    this.workers = workers;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod()) || !COMPLETE.matcher(request.getRequestURI()).matches();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Matcher path = COMPLETE.matcher(request.getRequestURI());
    if (!path.matches()) {
      chain.doFilter(request, response);
      return;
    }
    String taskId = path.group(1);
    byte[] body = request.getInputStream().readNBytes(MAX_BODY);
    JsonNode completion;
    try {
      completion = json.readTree(body);
    } catch (IOException notJson) {
      completion = null;
    }
    String workerId = null;
    if (completion != null && completion.isObject()) {
      workerId = completion.path("workerId").asText(null);
      Set<String> names = new TreeSet<>();
      completion.path("variables").fieldNames().forEachRemaining(names::add);
      completion.path("localVariables").fieldNames().forEachRemaining(names::add);
      Set<String> undeclared = workers.undeclared(taskId, names);
      if (!undeclared.isEmpty()) {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(), Map.of("type", "InvalidRequestException", "message",
            "the completion of task " + taskId + " sets variables its component does not declare (flowcast.outputs): "
                + String.join(", ", undeclared) + "; nothing was changed"));
        return;
      }
    }
    if (workerId != null && completion.isObject()) {
      // the step says which worker did it: the step log's decision reads this on the step's end
      ObjectNode object = (ObjectNode) completion;
      ObjectNode variables = object.get("variables") instanceof ObjectNode given ? given : object.putObject("variables");
      variables.putObject(dev.flowcast.config.ProcessVariables.WORKER).put("value", workerId);
      body = json.writeValueAsBytes(completion);
    }
    chain.doFilter(new BodyAgain(request, body), response);
    if (workerId != null && response.getStatus() == HttpServletResponse.SC_NO_CONTENT) {
      workers.completed(taskId, workerId);
    }
  }

  /** The request with its body, already read here, to read again. */
  private static final class BodyAgain extends HttpServletRequestWrapper {
    private final byte[] body;

    BodyAgain(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("read synchronously");
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
