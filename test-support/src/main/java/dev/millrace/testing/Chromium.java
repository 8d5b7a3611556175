package dev.millrace.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for tests that render pages: Debian's {@code chromium}, installed with apt by the
 * test itself on a machine that has apt and runs as root (CI; a fresh Debian box), so the test
 * command alone works. Elsewhere it must be on the PATH.
 */
public final class Chromium {
  private Chromium() {}

  public static Path locate() throws IOException, InterruptedException {
    Path found = onPath();
    if (found != null) {
      return found;
    }
    if (Files.isExecutable(Paths.get("/usr/bin/apt-get")) && "root".equals(System.getProperty("user.name"))) {
      // Unit tests run in two JVMs at once (surefire's forkCount): one installs, the other waits
      // for it instead of failing on apt's own lock.
      try (FileChannel channel = FileChannel.open(Paths.get(System.getProperty("java.io.tmpdir"),
              "millrace-chromium-install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (onPath() == null) {
          run(600, "apt-get", "install", "-y", "--no-install-recommends", "chromium");
        }
        if (onPath() == null) {
          run(600, "apt-get", "update");
          run(600, "apt-get", "install", "-y", "--no-install-recommends", "chromium");
        }
      }
      found = onPath();
    }
    if (found == null) {
      throw new AssertionError("Chromium is needed to render the report: install Debian's chromium (apt-get install chromium)");
    }
    return found;
  }

  /** The DOM of a local page after its scripts ran. */
  public static String dumpDom(Path page) throws IOException, InterruptedException {
    return run(120, locate().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
        page.toUri().toString());
  }

  /** A PNG screenshot of a local page. */
  public static void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    run(120, locate().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), page.toUri().toString());
  }

  private static Path onPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path candidate = Paths.get(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static String run(int seconds, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("chromium", ".out");
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
    }
    String printed = Files.readString(out);
    Files.delete(out);
    return printed;
  }
}
