package dev.slogate.load.fleet;

import dev.slogate.load.LoadPlan;
import dev.slogate.sandbox.JavaCommand;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Injector JVMs on this machine, connected over the loopback interface; their logs go to the plan's work dir. */
public final class LocalInjectors implements InjectorLauncher {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);

    private final List<String> jvmFlags;
    private final List<Local> started = new ArrayList<>();

    public LocalInjectors(List<String> jvmFlags) {
        this.jvmFlags = List.copyOf(jvmFlags);
    }

    @Override
    public InetSocketAddress listenOn() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Override
    public List<Injector> launch(List<String> names, int port, LoadPlan plan) throws IOException {
        List<Injector> out = new ArrayList<>();
        for (String name : names) {
            Path log = plan.workDir().resolve(name + ".log");
            Process p = new ProcessBuilder(JavaCommand.of(InjectorMain.class.getName(), jvmFlags,
                    List.of("--connect", "127.0.0.1:" + port, "--name", name)))
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Local l = new Local(name, p, log);
            synchronized (started) {
                started.add(l);
            }
            out.add(l);
        }
        return out;
    }

    @Override
    public Duration connectTimeout() {
        return CONNECT_TIMEOUT;
    }

    @Override
    public String describe(int size) {
        return size + " injector processes on this machine";
    }

    /** Waits for each injector to exit (they end once their connection closes), then kills what is left. */
    @Override
    public void close() {
        List<Local> all;
        synchronized (started) {
            all = List.copyOf(started);
        }
        for (Local l : all) {
            try {
                if (!l.jvm.waitFor(10, TimeUnit.SECONDS)) {
                    l.jvm.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                l.jvm.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Local(String name, Process jvm, Path log) implements Injector {
        @Override
        public String label() {
            return name + " (pid " + jvm.pid() + ")";
        }

        @Override
        public Optional<String> ended() {
            return jvm.isAlive() ? Optional.empty() : Optional.of("exited with code " + jvm.exitValue());
        }

        @Override
        public String evidence() {
            return lastLogLine().map(l -> "; its log ends: " + l).orElse("") + " (log: " + log + ")";
        }

        @Override
        public Optional<ProcessHandle> process() {
            return Optional.of(jvm.toHandle());
        }

        private Optional<String> lastLogLine() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (int i = lines.size() - 1; i >= 0; i--) {
                    if (!lines.get(i).isBlank()) {
                        return Optional.of(lines.get(i).trim());
                    }
                }
            } catch (IOException | UncheckedIOException unreadable) {
                // no log to quote
            }
            return Optional.empty();
        }
    }
}
