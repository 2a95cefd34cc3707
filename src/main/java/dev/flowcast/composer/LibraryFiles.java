package dev.flowcast.composer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/** Finds the {@code *.bpmn} files of a library location, in a stable order. */
final class LibraryFiles {

  /** One file's name (for reports) and content. */
  record LibraryFile(String name, byte[] content) {}

  private LibraryFiles() {}

  /** The files under the first location that has any. */
  static List<LibraryFile> read(ResourcePatternResolver resolver, String... locations) {
    for (String location : locations) {
      List<LibraryFile> files = readOne(resolver, location);
      if (!files.isEmpty()) {
        return files;
      }
    }
    return List.of();
  }

  private static List<LibraryFile> readOne(ResourcePatternResolver resolver, String location) {
    String pattern = location.endsWith("/") ? location + "*.bpmn" : location + "/*.bpmn";
    Resource[] resources;
    try {
      resources = resolver.getResources(pattern);
    } catch (IOException e) {
      return List.of(); // a location that does not exist holds no files
    }
    List<LibraryFile> files = new ArrayList<>();
    for (Resource resource : Arrays.stream(resources)
        .sorted(Comparator.comparing(r -> String.valueOf(r.getFilename())))
        .toList()) {
      if (!resource.isReadable()) {
        continue;
      }
      try (InputStream in = resource.getInputStream()) {
        files.add(new LibraryFile(describe(resource), in.readAllBytes()));
      } catch (IOException e) {
        files.add(new LibraryFile(describe(resource), new byte[0]));
      }
    }
    return files;
  }

  private static String describe(Resource resource) {
    try {
      if (resource.isFile()) {
        return resource.getFile().getPath();
      }
    } catch (IOException ignored) {
      // not a file: describe it by its URL below
    }
    return resource.getDescription();
  }
}
