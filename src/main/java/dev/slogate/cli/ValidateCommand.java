package dev.slogate.cli;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.ValidationException;
import dev.slogate.run.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate scenario, fault and SLO files (offline: PromQL is checked against the live server by run and plan).",
                "Every problem names file, line, column, what is wrong and what to write instead; exit 2 if there is any."},
        footerHeading = "%nExamples:%n", footer = {"  slogate validate                 # scenarios/, faults/ and slo/ of the current directory",
                "  slogate validate slo/checkout.yaml scenarios/"})
final class ValidateCommand implements Callable<Integer> {
    private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*\"?(\\w+)");

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "Files or folders (default: scenarios faults slo).")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() {
        List<Path> files = new ArrayList<>();
        List<Path> roots = paths.isEmpty() ? List.of(Path.of("scenarios"), Path.of("faults"), Path.of("slo")) : paths;
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.exists(root) || !paths.isEmpty()) {
                files.add(root);
            }
        }
        ExperimentLoader loader = new ExperimentLoader();
        int bad = 0;
        for (Path f : files) {
            try {
                String kind = kindOf(f);
                switch (kind) {
                    case "Scenario" -> loader.loadScenario(f);
                    case "Fault" -> loader.loadFault(f);
                    default -> loader.loadSlos(f);
                }
                System.out.println("ok     " + f);
            } catch (ValidationException e) {
                bad++;
                System.out.println("FAILED " + f);
                System.out.println(e.getMessage().indent(2).stripTrailing());
            }
        }
        System.out.println(files.size() + " files, " + bad + " with problems");
        return bad == 0 && !files.isEmpty() ? ExitCode.MET : ExitCode.INVALID;
    }

    private static String kindOf(Path f) {
        try {
            Matcher m = KIND.matcher(Files.readString(f));
            return m.find() ? m.group(1) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
