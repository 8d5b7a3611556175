package dev.millrace.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the servers run from, installed on first use and shared by every stack of the repository: the
 * Maven classpaths of {@code local/<name>/pom.xml} (S3Proxy, Flink, Spark) and the npm package of the
 * Kinesis emulator. One lock file keeps two stacks starting at once from installing together.
 */
final class Installs {
  private final Path root;
  private final PrintStream err;

  Installs(Path root, PrintStream err) {
    this.root = root;
    this.err = err;
  }

  /** The classpath of {@code local/<name>/pom.xml}, resolved once (and again when the pom changes). */
  String classpath(String name) throws IOException {
    Path dir = root.resolve(".millrace").resolve(name);
    Files.createDirectories(dir);
    Path file = dir.resolve("classpath.txt");
    Path pom = root.resolve("local").resolve(name).resolve("pom.xml");
    try (Lock lock = lock()) {
      if (!Files.isRegularFile(file) || Files.size(file) == 0
          || Files.getLastModifiedTime(pom).compareTo(Files.getLastModifiedTime(file)) > 0) {
        err.println("millrace local: resolving the " + name + " jars with Maven ...");
        Path fresh = dir.resolve("classpath.txt.new");
        run(List.of("mvn", "-q", "-B", "-f", pom.toString(), "dependency:build-classpath",
            "-Dmdep.outputFile=" + fresh), root);
        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (LocalStackException e) {
      throw new LocalStackException("could not resolve the " + name + " jars (see the Maven output above)");
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  /** {@code local/kinesis/node_modules}, installed with {@code npm ci} when missing or older than the lock file. */
  Path kinesisEmulator() throws IOException {
    Path pkg = root.resolve("local/kinesis");
    Path modules = pkg.resolve("node_modules");
    try (Lock lock = lock()) {
      if (!Files.isRegularFile(modules.resolve("kinesalite/index.js"))
          || Files.getLastModifiedTime(pkg.resolve("package-lock.json")).compareTo(Files.getLastModifiedTime(modules)) > 0) {
        err.println("millrace local: installing the Kinesis emulator (npm ci) ...");
        // --ignore-scripts: the only install script builds leveldown, used for on-disk stores; ours is in memory.
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--silent", "--ignore-scripts"), pkg);
      }
    } catch (LocalStackException e) {
      throw new LocalStackException("npm ci failed in local/kinesis");
    }
    return pkg.resolve("server.js");
  }

  /** Runs {@code command} in {@code dir}; its output goes to stderr (stdout is the command's answer). */
  private void run(List<String> command, Path dir) throws IOException {
    Path output = Files.createTempFile("millrace-local-install", ".log");
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      if (!process.waitFor(20, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new LocalStackException(String.join(" ", command) + " did not finish in 20 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStackException("interrupted");
    } finally {
      err.print(Files.readString(output, StandardCharsets.UTF_8));
      Files.deleteIfExists(output);
    }
    if (process.exitValue() != 0) {
      throw new LocalStackException(String.join(" ", command) + " exited " + process.exitValue());
    }
  }

  private Lock lock() throws IOException {
    Path file = root.resolve(".millrace/install.lock");
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return new Lock(channel, channel.lock());
  }

  private record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      lock.release();
      channel.close();
    }
  }
}
