package dev.slogate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md, docs/ and k8s/README.md leads somewhere: the file exists, and a {@code #anchor}
 * names a heading of that file (GitHub's anchors). Links with a scheme (https:, mailto:) are not followed.
 */
class DocsLinksTest {
    static final Path REPO = Path.of("").toAbsolutePath();

    @Test
    void everyRelativeLinkResolvesToAFileAndAHeading() {
        List<MarkdownPage> pages = MarkdownPage.userDocs(REPO);
        assertTrue(pages.size() > 20, "found only " + pages.size() + " pages; run from the repository's root");
        List<String> broken = broken(pages);
        assertTrue(broken.isEmpty(), broken.size() + " broken links:\n" + String.join("\n", broken));
    }

    @Test
    void theReadmeFitsOnAScreenAndShowsTheReport() {
        MarkdownPage readme = MarkdownPage.read(REPO.resolve("README.md"));
        assertTrue(readme.lines().size() <= 150, "README.md has " + readme.lines().size() + " lines; keep it at 150 or less"
                + " and move the rest under docs/");
        assertTrue(readme.links().stream().anyMatch(l -> l.target().equals("docs/img/report.png")), "README shows docs/img/report.png");
    }

    @Test
    void aBrokenFileOrAnchorIsReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.md"), String.join("\n",
                "# Title", "## Exit codes: `0` to `4`", "## Exit codes: `0` to `4`",
                "[ok](b.md#the-b-page) [ok](#exit-codes-0-to-4) [ok](#exit-codes-0-to-4-1) [web](https://example.com/x.md)",
                "[gone](missing.md) [no heading](b.md#nowhere) `[code](not-a-link.md)`",
                "```", "[in a block](also-not-a-link.md)", "```"));
        Files.writeString(dir.resolve("b.md"), "# The B page\n");
        List<String> broken = broken(List.of(MarkdownPage.read(dir.resolve("a.md"))), dir);
        assertEquals(2, broken.size(), String.join("\n", broken));
        assertTrue(broken.get(0).contains("missing.md") && broken.get(1).contains("b.md#nowhere"), String.join("\n", broken));
    }

    @Test
    void anchorsFollowGithubsRules() {
        assertEquals("the-fleet-on-kubernetes---injectors-on-kubernetes",
                MarkdownPage.slug("The fleet on Kubernetes: `--injectors-on kubernetes`"));
        assertEquals("load-generators-benchrun", MarkdownPage.slug("Load generators: `bench/run`"));
        assertEquals("the-scenarios-kubernetes-block", MarkdownPage.slug("The scenario's `kubernetes:` block"));
        assertEquals("see-the-guide", MarkdownPage.slug("See [the guide](guide.md)"));
    }

    private static List<String> broken(List<MarkdownPage> pages) {
        return broken(pages, REPO);
    }

    private static List<String> broken(List<MarkdownPage> pages, Path root) {
        List<String> out = new ArrayList<>();
        for (MarkdownPage page : pages) {
            for (MarkdownPage.Link link : page.links()) {
                String target = link.target();
                if (target.matches("^[a-zA-Z][a-zA-Z+.-]*:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path file = path.isEmpty() ? page.file() : page.file().getParent().resolve(path).normalize();
                String where = link.line().where(root) + ": " + target;
                if (!Files.exists(file)) {
                    out.add(where + " (no file " + root.relativize(file) + ")");
                } else if (anchor != null && file.toString().endsWith(".md") && !MarkdownPage.read(file).anchors().contains(anchor)) {
                    out.add(where + " (no heading #" + anchor + " in " + root.relativize(file) + ")");
                }
            }
        }
        return out;
    }
}
