package dev.slogate.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The text of one input file, read only once it is known to be a regular file of a sane size, and only when it is
 * UTF-8 text (a leading BOM is dropped). Whatever the file holds, its content never appears in a problem: a file that
 * is not text is described by what it seems to be ("binary data", "UTF-16 text"), with the place of the first bad byte.
 */
public final class FileText {
    /** slogate files are a few kB; anything above this is refused by its size, unread. */
    public static final long MAX_BYTES = 1L << 20;

    private FileText() {
    }

    /** The text of {@code file}, or null after reporting why it cannot be a {@code kind} file. */
    public static String read(Path file, String kind, ReferenceSite site, Problems problems) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class); // follows links: a link to a FIFO is a FIFO
        } catch (NoSuchFileException e) {
            refuse(file, site, problems, "no such " + kind + " file: " + file.toAbsolutePath().normalize(),
                    site != null ? "paths are relative to the directory of " + site.file().getFileName() : "check the path");
            return null;
        } catch (IOException | SecurityException e) {
            refuse(file, site, problems, "cannot read " + file.toAbsolutePath().normalize() + " (" + e.getClass().getSimpleName() + ")",
                    "check that the file exists and that its directory is readable");
            return null;
        }
        if (!attrs.isRegularFile()) {
            refuse(file, site, problems, file.toAbsolutePath().normalize() + " " + fileType(file, attrs) + ", not " + a(kind) + " file",
                    attrs.isDirectory() ? "name a .yaml file inside it (slogate validate DIR reads every .yaml, .yml and .json below DIR)"
                            : "slogate reads regular files only; name the .yaml file itself");
            return null;
        }
        if (attrs.size() > MAX_BYTES) {
            refuse(file, site, problems, file.toAbsolutePath().normalize() + " is " + attrs.size() / 1024 + " KiB, more than " + a(kind) + " file can be (at most "
                    + MAX_BYTES / 1024 + " KiB); it was not read", "check the path: slogate files are a few kB; split a huge file into several");
            return null;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1); // the file may have grown since it was measured
        } catch (IOException | SecurityException e) {
            problems.add(file, 1, 1, "cannot read the file (" + e.getClass().getSimpleName() + ")", "check its permissions");
            return null;
        }
        if (bytes.length > MAX_BYTES) {
            problems.add(file, 1, 1, "the file grew beyond " + MAX_BYTES / 1024 + " KiB while it was read", "check the path: slogate files are a few kB");
            return null;
        }
        return decode(file, bytes, problems);
    }

    /** "a Fault", "an SLO". */
    public static String a(String kind) {
        return (kind.startsWith("SLO") ? "an " : "a ") + kind;
    }

    private static void refuse(Path file, ReferenceSite site, Problems problems, String message, String hint) {
        if (site != null) {
            problems.add(site.file(), site.node(), message, hint);
        } else {
            problems.add(file, 1, 1, message, hint);
        }
    }

    /** "a directory", "a FIFO (named pipe)", "a character device"...: what a non-regular file is, without opening it. */
    private static String fileType(Path file, BasicFileAttributes attrs) {
        if (attrs.isDirectory()) {
            return "is a directory";
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "is a FIFO (named pipe)";
                case 0020000 -> "is a character device";
                case 0060000 -> "is a block device";
                case 0140000 -> "is a socket";
                default -> "is not a regular file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException | SecurityException e) {
            return "is not a regular file";
        }
    }

    private static String decode(Path file, byte[] bytes, Problems problems) {
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff || (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe)) {
            problems.add(file, 1, 1, "not UTF-8: the file is UTF-16 text", "save it as UTF-8");
            return null;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                int[] at = position(bytes, i);
                problems.add(file, at[0], at[1], "not YAML: binary data (a NUL byte)",
                        "slogate reads YAML or JSON text; check the path (is this a compiled, compressed or image file?)");
                return null;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = utf8.decode(in, out, true);
        if (result.isError()) {
            int[] at = position(bytes, in.position());
            problems.add(file, at[0], at[1], String.format("not UTF-8 text: byte 0x%02X cannot start or continue a UTF-8 character (binary data or another encoding)",
                    bytes[in.position()] & 0xff), "save the file as UTF-8");
            return null;
        }
        utf8.flush(out);
        out.flip();
        String text = out.toString();
        text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f || c >= 0x80 && c <= 0x9f && c != 0x85) {
                int[] at = position(text, i);
                problems.add(file, at[0], at[1], String.format("the control character U+%04X is not allowed in YAML (binary data?)", (int) c),
                        "remove it; slogate files are plain text");
                return null;
            }
        }
        return text;
    }

    /** 1-based line and column of byte {@code index}; a column counts characters (a byte that is none counts as one). */
    private static int[] position(byte[] bytes, int index) {
        String before = new String(bytes, 0, index, StandardCharsets.UTF_8);
        return position(before, before.length());
    }

    private static int[] position(String text, int index) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < index; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                line++;
                column = 1;
            } else if (c != '\r' && !Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
