package dev.slogate.cli;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.promql.CheckedQuery;
import dev.slogate.redact.Redaction;
import dev.slogate.run.ExitCode;
import dev.slogate.slo.PrometheusClient;
import dev.slogate.slo.PrometheusException;
import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate scenario, fault and SLO files. PromQL is parsed offline (brackets, strings, durations, selectors,",
                "operators); with --prometheus it is also checked by that server, as run and plan check it against the live one.",
                "Every problem names file, line, column, what is wrong and what to write instead; exit 2 if there is any."},
        footerHeading = "%nExamples:%n", footer = {"  slogate validate                 # scenarios/, faults/ and slo/ of the current directory",
                "  slogate validate slo/checkout.yaml scenarios/",
                "  slogate validate --prometheus http://127.0.0.1:9090 slo/"})
final class ValidateCommand implements Callable<Integer> {
    /** The files {@code validate DIR} reads: YAML and JSON. */
    private static final Pattern INPUT = Pattern.compile(".*\\.(yaml|yml|json)");

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "Files or folders (default: scenarios faults slo); a folder is read for its .yaml, .yml and .json files.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--prometheus", paramLabel = "URL", description = "Also check every PromQL query against this Prometheus (it must be up).")
    String prometheusUrl;

    @Override
    public Integer call() {
        List<Path> files = new ArrayList<>();
        List<Path> roots = paths.isEmpty() ? List.of(Path.of("scenarios"), Path.of("faults"), Path.of("slo")) : paths;
        int bad = 0;
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> INPUT.matcher(p.getFileName().toString()).matches()).sorted().forEach(files::add);
                } catch (IOException | UncheckedIOException e) {
                    bad++;
                    System.out.println("FAILED " + root);
                    System.out.println("  " + root + ":1:1: cannot list the folder (" + e.getClass().getSimpleName() + ")");
                    System.out.println("    hint: check that it and its subfolders are readable");
                }
            } else if (Files.exists(root) || !paths.isEmpty()) {
                files.add(root);
            }
        }
        PrometheusClient prometheus = prometheusUrl == null ? null : PrometheusClient.builder(prometheusUrl).build();
        if (prometheus != null && !prometheus.ready()) {
            System.out.println("error: Prometheus at " + Redaction.url(prometheusUrl) + " is unreachable or not ready; nothing was validated");
            System.out.println("  hint: check the URL (e.g. http://127.0.0.1:9090), or leave --prometheus out to parse PromQL offline");
            return ExitCode.INVALID;
        }
        // an OpenSLO reference (indicatorRef, metricSourceRef...) resolves in any file given to this command
        ExperimentLoader loader = (prometheus == null ? new ExperimentLoader() : new ExperimentLoader(prometheus::checkSyntax)).withReferencesIn(files);
        int warned = 0;
        for (Path f : files) {
            // every file is checked and reported, whatever happened with the ones before it
            int before = loader.warnings().size();
            int queriesBefore = loader.checkedQueries().size();
            try {
                loader.validate(f);
                System.out.println("ok     " + f);
                promql(f, loader.checkedQueries().subList(queriesBefore, loader.checkedQueries().size()), prometheus);
            } catch (ValidationException e) {
                bad++;
                System.out.println("FAILED " + f);
                System.out.println(e.getMessage().indent(2).stripTrailing());
                promql(f, loader.checkedQueries().subList(queriesBefore, loader.checkedQueries().size()), prometheus);
            } catch (PrometheusException e) {
                bad++;
                System.out.println("FAILED " + f);
                System.out.println("  " + f + ":1:1: PromQL could not be checked: " + e.getMessage());
                System.out.println("    hint: check that Prometheus is up, or leave --prometheus out to parse PromQL offline");
            } catch (RuntimeException | StackOverflowError e) {
                bad++;
                // the exception's message may quote the file; its type is enough to report the bug
                System.out.println("FAILED " + f);
                System.out.println("  " + f + ":1:1: slogate could not check this file (" + e.getClass().getName() + ")");
                System.out.println("    hint: this is a bug in slogate; please report it with the file attached");
            }
            List<Problem> warnings = loader.warnings();
            ScenarioFiles.printWarnings(warnings.subList(before, warnings.size()), "  ");
            warned += warnings.size() - before;
        }
        // warnings say what is not judged; they never change the exit code
        System.out.println(files.size() + " files, " + bad + " with problems" + (warned == 0 ? "" : ", " + warned + " warning" + (warned == 1 ? "" : "s")));
        return bad == 0 && !files.isEmpty() ? ExitCode.MET : ExitCode.INVALID;
    }

    /** A path as the user would write it: relative to the working directory when it lies under it. */
    static String shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : p.toString();
    }

    /** One line per file on how its PromQL was checked: parsed offline, or by the server given. */
    private void promql(Path file, List<CheckedQuery> checked, PrometheusClient prometheus) {
        List<CheckedQuery> queries = checked.stream().distinct().toList(); // an SLI shared by several SLOs is one query
        if (queries.isEmpty()) {
            return;
        }
        List<String> elsewhere = queries.stream().map(CheckedQuery::file).filter(q -> !Objects.equals(q, file))
                .map(ValidateCommand::shown).distinct().toList();
        String count = queries.size() + (queries.size() == 1 ? " query" : " queries") + (elsewhere.isEmpty() ? "" : " (of " + String.join(", ", elsewhere) + ")");
        System.out.println("  promql: " + count + (prometheus == null ? " parsed offline (no Prometheus given: not checked against a server)"
                : " checked by Prometheus at " + Redaction.url(prometheusUrl)));
    }
}
