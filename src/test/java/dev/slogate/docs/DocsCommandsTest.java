package dev.slogate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code ./slogate ...} or {@code slogate ...} command line in a fenced code block of the docs parses with the
 * real picocli command tree (parsed, never executed), and the files it names exist.
 *
 * <p>The rules: a command line is a code-block line that starts, after indentation and an optional {@code $ } prompt
 * or YAML {@code - run: } step, with {@code ./slogate } or {@code slogate }; it ends at a shell comment ({@code  #}),
 * {@code ;}, {@code &&}, {@code ||}, {@code |} or a redirection. {@code setup} is the launcher's own command (not in
 * the jar): it must be handled by the {@code ./slogate} script. A path given as SCENARIO, FILE|DIR or RUN_DIR must
 * exist in the repository, unless it is clearly the reader's own: its file name starts with {@code my-}
 * ({@code scenarios/my-service.yaml}), or it holds a placeholder ({@code reports/<run-id>}, {@code $VAR}).
 */
class DocsCommandsTest {
    private static final Path REPO = DocsLinksTest.REPO;
    private static final Pattern COMMAND = Pattern.compile("^\\s*(?:\\$\\s+|-\\s+run:\\s+|run:\\s+)?(?:\\./)?slogate\\s+(.*)$");
    private static final Pattern END = Pattern.compile("\\s+#|;|&&|\\|\\||\\||\\s>|\\s2>");
    /** Positional parameters that name files in the repository. */
    private static final Set<String> FILE_LABELS = Set.of("SCENARIO", "FILE|DIR", "RUN_DIR");

    record Command(MarkdownPage.Line line, List<String> args) {
    }

    @Test
    void everyDocumentedCommandParsesAndItsFilesExist() throws IOException {
        List<Command> commands = commands(MarkdownPage.userDocs(REPO));
        assertTrue(commands.size() >= 30, "found only " + commands.size() + " commands in the docs");
        String launcher = Files.readString(REPO.resolve("slogate"));
        List<String> problems = new ArrayList<>();
        for (Command c : commands) {
            String where = c.line().where(REPO) + ": slogate " + String.join(" ", c.args());
            if (c.args().get(0).equals("setup")) {
                if (!launcher.contains("setup)")) {
                    problems.add(where + ": the ./slogate launcher has no setup command");
                }
                continue;
            }
            try {
                ParseResult parsed = new CommandLine(new Main()).parseArgs(c.args().toArray(String[]::new));
                problems.addAll(missingFiles(parsed, where));
            } catch (CommandLine.ParameterException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " documented commands do not work:\n" + String.join("\n", problems));
    }

    @Test
    void aMisspelledOptionOrAMissingScenarioIsReported() {
        assertThrows(CommandLine.ParameterException.class,
                () -> new CommandLine(new Main()).parseArgs("run", "--run-idd", "x", "scenarios/demo-gameday.yaml"));
        ParseResult parsed = new CommandLine(new Main()).parseArgs("plan", "scenarios/no-such-gameday.yaml");
        assertEquals(1, missingFiles(parsed, "here").size());
        assertTrue(missingFiles(new CommandLine(new Main()).parseArgs("plan", "scenarios/my-own.yaml"), "here").isEmpty());
        assertTrue(missingFiles(new CommandLine(new Main()).parseArgs("report", "reports/<run-id>"), "here").isEmpty());
    }

    @Test
    void commandLinesAreFoundInShellAndYamlBlocksAndEndAtAComment() {
        MarkdownPage page = new MarkdownPage(REPO.resolve("x.md"), List.of("text ./slogate run not-in-a-block.yaml", "```yaml",
                "- run: ./slogate run scenarios/a.yaml --run-id \"$GITHUB_RUN_ID\"   # a comment", "```", "```bash",
                "$ slogate plan b.yaml; echo \"exit $?\"", "kubectl apply -f k8s/job.yaml   # not slogate", "```"));
        List<Command> found = commands(List.of(page));
        assertEquals(List.of(List.of("run", "scenarios/a.yaml", "--run-id", "$GITHUB_RUN_ID"), List.of("plan", "b.yaml")),
                found.stream().map(Command::args).toList());
    }

    static List<Command> commands(List<MarkdownPage> pages) {
        List<Command> out = new ArrayList<>();
        for (MarkdownPage page : pages) {
            for (MarkdownPage.Line line : page.codeLines()) {
                Matcher m = COMMAND.matcher(line.text());
                if (m.matches()) {
                    String rest = m.group(1);
                    Matcher end = END.matcher(rest);
                    List<String> args = words(end.find() ? rest.substring(0, end.start()) : rest);
                    if (!args.isEmpty()) {
                        out.add(new Command(line, args));
                    }
                }
            }
        }
        return out;
    }

    /** Splits like a shell: whitespace separates, single or double quotes group and are dropped. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char ch : text.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    private static List<String> missingFiles(ParseResult parsed, String where) {
        List<String> out = new ArrayList<>();
        ParseResult sub = parsed.subcommand();
        if (sub == null) {
            return out;
        }
        for (PositionalParamSpec p : sub.matchedPositionals()) {
            if (!FILE_LABELS.contains(p.paramLabel())) {
                continue;
            }
            for (String value : p.originalStringValues()) {
                boolean placeholder = value.contains("<") || value.contains("$") || Path.of(value).getFileName().toString().startsWith("my-");
                if (!placeholder && !Files.exists(REPO.resolve(value))) {
                    out.add(where + ": " + value + " does not exist in the repository (name a shipped file, or write"
                            + " a placeholder such as scenarios/my-service.yaml)");
                }
            }
        }
        return out;
    }
}
