package dev.slogate.redact;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The literal secrets a process has seen: passwords in URLs, values of secret headers and parameters, tokens and
 * passwords read from the environment or a kubeconfig. {@link Redaction#text} masks every occurrence of them, so a
 * secret stays hidden even where no rule recognizes its shape (an exception of a library that quotes a header, a note
 * that quotes a value). Add-only: a value once seen stays secret for the life of the process.
 *
 * <p>Values shorter than {@link #MIN_LENGTH} characters are not remembered: searching for them everywhere would mask
 * unrelated text (numbers of the report, words); they are still masked where they stand (user-info, parameters,
 * headers).
 */
public final class Secrets {
    /** Shorter values are masked where they stand only. */
    public static final int MIN_LENGTH = 6;

    private static final Secrets PROCESS = new Secrets();

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    /** The values and their encoded forms, longest first (a secret that contains another is masked whole). */
    private volatile List<String> forms = List.of();

    /** The secrets of this process, which {@link Redaction#text(String)} masks. */
    public static Secrets process() {
        return PROCESS;
    }

    /** Remembers {@code value} as secret (and its URL-encoded form); null, blank or short values are ignored. */
    public void remember(String value) {
        if (value == null || value.strip().length() < MIN_LENGTH) {
            return;
        }
        boolean added = values.add(value);
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        added |= values.add(encoded);
        added |= values.add(encoded.replace("+", "%20"));
        added |= values.add(Redaction.escapeMarkup(value));
        if (added) {
            synchronized (this) {
                forms = values.stream().sorted(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s)).toList();
            }
        }
    }

    /** Remembers the password of a URL's user-info and the values of its secret parameters (see {@link Redaction}). */
    public void rememberUrl(String url) {
        if (url == null) {
            return;
        }
        Matcher m = Redaction.USER_INFO.matcher(url);
        while (m.find()) {
            if (m.group("password") != null) {
                rememberEncoded(m.group("password"));
            }
        }
        Matcher p = Redaction.PARAMETER.matcher(url);
        while (p.find()) {
            if (Redaction.isSecretName(p.group("name"))) {
                rememberEncoded(p.group("value"));
            }
        }
    }

    /**
     * Remembers the values of secret fields of a request body: JSON ({@code "password": "x"}) or a form
     * ({@code user=a&password=x}).
     */
    public void rememberBody(String body) {
        if (body == null) {
            return;
        }
        for (Pattern p : List.of(Redaction.JSON_FIELD, Redaction.PARAMETER)) {
            Matcher m = p.matcher(body);
            while (m.find()) {
                if (Redaction.isSecretName(m.group("name"))) {
                    rememberEncoded(m.group("value"));
                }
            }
        }
    }

    /** Remembers the values of the secret headers of {@code headers} (also the credentials after a scheme such as Bearer). */
    public void rememberHeaders(Map<String, String> headers) {
        if (headers == null) {
            return;
        }
        headers.forEach((name, value) -> {
            if (Redaction.isSecretName(name) && value != null) {
                remember(value);
                String[] words = value.strip().split("\\s+", 2);
                if (words.length == 2) {
                    remember(words[1]); // "Bearer tok-XYZ": a library may print the token alone
                }
            }
        });
    }

    /** Every remembered value and form, longest first. */
    List<String> forms() {
        return forms;
    }

    /** {@code text} with every remembered value replaced by {@link Redaction#MASK}. */
    String maskIn(String text) {
        String out = text;
        for (String s : forms) {
            if (out.contains(s)) {
                out = out.replace(s, Redaction.MASK);
            }
        }
        return out;
    }

    private void rememberEncoded(String raw) {
        remember(raw);
        try {
            remember(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not valid percent-encoding: the raw form is remembered already
        }
    }
}
