package dev.slogate.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Markdown file of the user docs, read the way GitHub renders it as far as the docs tests need: the lines inside
 * fenced code blocks, the links outside them, and the anchors its headings get.
 */
record MarkdownPage(Path file, List<String> lines) {
    /** {@code [text](target)} or {@code ![alt](target)}, with an optional title; the target has no spaces. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    /** The docs a reader gets: README.md, everything under docs/, and the README of k8s/. */
    static List<MarkdownPage> userDocs(Path repo) {
        List<Path> files = new ArrayList<>(List.of(repo.resolve("README.md"), repo.resolve("k8s/README.md")));
        try (Stream<Path> docs = Files.walk(repo.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files.stream().map(MarkdownPage::read).toList();
    }

    static MarkdownPage read(Path file) {
        try {
            return new MarkdownPage(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line of a page, 1-based, for messages: {@code docs/guides/ci-gate.md:27}. */
    record Line(MarkdownPage page, int number, String text) {
        String where(Path repo) {
            return repo.relativize(page.file()) + ":" + number;
        }
    }

    /** A link and the line it is on. */
    record Link(Line line, String target) {
    }

    /** The lines inside fenced code blocks (``` or ~~~), any language. */
    List<Line> codeLines() {
        List<Line> out = new ArrayList<>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (isFence(l)) {
                fenced = !fenced;
            } else if (fenced) {
                out.add(new Line(this, i + 1, l));
            }
        }
        return out;
    }

    /** Links outside code blocks and code spans (a link written as code is an example, not a link). */
    List<Link> links() {
        List<Link> out = new ArrayList<>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (isFence(l)) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(INLINE_CODE.matcher(l).replaceAll(""));
            while (m.find()) {
                out.add(new Link(new Line(this, i + 1, l), m.group(1)));
            }
        }
        return out;
    }

    /** The anchors GitHub gives this page's headings, duplicates numbered {@code -1}, {@code -2}, ... */
    Set<String> anchors() {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String l : lines) {
            if (isFence(l)) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(l);
            if (!fenced && m.matches()) {
                String slug = slug(m.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return out;
    }

    /**
     * GitHub's heading anchor: the rendered text (link targets dropped), lower case, every character that is not a
     * letter, digit, space, hyphen or underscore removed, spaces turned into hyphens.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static boolean isFence(String line) {
        String t = line.stripLeading();
        return t.startsWith("```") || t.startsWith("~~~");
    }
}
