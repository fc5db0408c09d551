package dev.slogate.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.Main;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * docs/reference/cli.md and the picocli command tree list the same commands and options, both ways: each command has
 * a section {@code ## `slogate NAME`} that names every option (by its longest name, in backticks) and every positional
 * parameter (by its label), and every option in the first column of a section's table exists. A new option fails this
 * test until its row is written.
 */
class CliReferenceTest {
    private static final Pattern SECTION = Pattern.compile("^## `slogate ([a-z-]+)`\\s*$");
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");
    /** -h/--help and -V/--version are on every command, documented once at the top. */
    private static final Set<String> STANDARD = Set.of("--help", "--version");

    @Test
    void everyCommandAndOptionIsDocumentedAndNothingElse() {
        MarkdownPage cli = MarkdownPage.read(DocsLinksTest.REPO.resolve("docs/reference/cli.md"));
        Map<String, String> sections = sections(cli);
        CommandLine root = new CommandLine(new Main());
        List<String> problems = new ArrayList<>();
        String intro = sections.getOrDefault("", "");
        STANDARD.forEach(o -> {
            if (!intro.contains("`" + o + "`")) {
                problems.add("the introduction does not mention " + o);
            }
        });
        problems.addAll(compare(root, sections));
        assertTrue(problems.isEmpty(), "docs/reference/cli.md and the commands differ:\n" + String.join("\n", problems));
    }

    @Test
    void aMissingOptionRowOrAStaleOneIsReported() {
        CommandLine root = new CommandLine(new Main());
        Map<String, String> sections = sections(MarkdownPage.read(DocsLinksTest.REPO.resolve("docs/reference/cli.md")));
        sections.put("cleanup", "| option | default | meaning |\n|---|---|---|\n| `--state-dir DIR`, `--reports-dir DIR` | | |\n"
                + "| `--dry-run` | off | gone |\n");
        sections.remove("demo");
        List<String> problems = compare(root, sections);
        // containsAll, not equals: this checks the checker, whatever else cli.md lacks today
        List<String> expected = List.of("slogate cleanup: --force is not documented",
                "slogate cleanup: --dry-run is documented but is not an option", "no section ## `slogate demo`");
        assertTrue(problems.containsAll(expected), "expected " + expected + " among " + problems);
    }

    private static List<String> compare(CommandLine root, Map<String, String> sections) {
        List<String> problems = new ArrayList<>();
        Set<String> commands = new TreeSet<>(root.getSubcommands().keySet());
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            String name = e.getKey();
            String section = sections.get(name);
            if (section == null) {
                problems.add("no section ## `slogate " + name + "`");
                continue;
            }
            String text = section.replace("\\|", "|");
            CommandSpec spec = e.getValue().getCommandSpec();
            Set<String> options = new TreeSet<>();
            for (OptionSpec o : spec.options()) {
                options.addAll(List.of(o.names()));
                if (!STANDARD.contains(o.longestName()) && !Pattern.compile("`" + Pattern.quote(o.longestName()) + "[` ]").matcher(text).find()) {
                    problems.add("slogate " + name + ": " + o.longestName() + " is not documented");
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                String label = p.paramLabel().replaceAll("^\\[|\\.*]?$", "");
                if (!text.contains("`" + label)) {
                    problems.add("slogate " + name + ": the parameter " + label + " is not documented");
                }
            }
            for (String row : text.split("\n")) {
                if (row.startsWith("| `")) {
                    Matcher m = OPTION.matcher(row.substring(0, row.indexOf(" | ", 2) < 0 ? row.length() : row.indexOf(" | ", 2)));
                    while (m.find()) {
                        if (!options.contains(m.group())) {
                            problems.add("slogate " + name + ": " + m.group() + " is documented but is not an option");
                        }
                    }
                }
            }
        }
        sections.keySet().stream().filter(s -> !s.isEmpty() && !commands.contains(s))
                .forEach(s -> problems.add("section ## `slogate " + s + "` names no command"));
        return problems;
    }

    /** The text under each {@code ## `slogate NAME`} heading, by NAME; "" holds the introduction. */
    private static Map<String, String> sections(MarkdownPage page) {
        Map<String, String> out = new LinkedHashMap<>();
        String current = "";
        StringBuilder text = new StringBuilder();
        for (String line : page.lines()) {
            Matcher m = SECTION.matcher(line);
            if (m.matches() || line.startsWith("## ")) {
                out.put(current, text.toString());
                current = m.matches() ? m.group(1) : "(other " + line + ")";
                text.setLength(0);
            } else {
                text.append(line).append('\n');
            }
        }
        out.put(current, text.toString());
        out.keySet().removeIf(k -> k.startsWith("(other "));
        return out;
    }
}
