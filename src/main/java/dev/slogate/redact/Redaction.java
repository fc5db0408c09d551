package dev.slogate.redact;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of a value is secret, and how it is shown: the same rules for every output slogate writes.
 * <ul>
 *   <li>URL user-info: {@code http://user:S3cret@host} shows as {@code http://user:***@host}, also in JDBC URLs; a user
 *       without a password is kept. An unencoded {@code @} in the password is covered: the last {@code @} before the
 *       path ends the user-info.</li>
 *   <li>Parameters with a secret name ({@link #isSecretName}): {@code ?password=x&a=1} shows as
 *       {@code ?password=***&a=1}; also after {@code ;} (JDBC), {@code &amp;} (HTML) and in {@code k=v} lists.</li>
 *   <li>Header values: {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie} and any
 *       header whose name is secret ({@code X-Api-Key}, {@code X-Auth-Token}) show as {@code Authorization: ***};
 *       in free text a header is recognized by one of the four names or by a hyphenated secret name.</li>
 *   <li>JSON fields with a secret name: {@code "password": "x"} shows as {@code "password": "***"}.</li>
 *   <li>Every literal secret this process has seen ({@link Secrets}).</li>
 * </ul>
 * The masked forms contain no quote, markup or separator, so redacted JSON, HTML, XML and journal lines stay valid.
 */
public final class Redaction {
    /** What a secret is shown as. */
    public static final String MASK = "***";

    /**
     * A name is secret when, lowercased and without {@code -_.}, it contains one of these (so {@code X-Api-Key},
     * {@code access_token}, {@code client_secret}, {@code sslpassword}, {@code JSESSIONID} are secret)...
     */
    static final List<String> SECRET_PARTS = List.of("password", "passwd", "passphrase", "secret", "token", "key",
            "cookie", "credential", "authorization", "signature", "session");
    /** ...or is one of these short names. */
    static final List<String> SECRET_NAMES = List.of("pwd", "pass", "sig", "auth", "jwt", "otp");

    private static final String STOP = "\\s\"'<>\\\\";
    /** {@code scheme://user:password@}; greedy, so the last {@code @} of the authority ends the user-info. */
    static final Pattern USER_INFO = Pattern.compile(
            "(?<scheme>\\b[A-Za-z][A-Za-z0-9+.\\-]*://)(?<user>[^" + STOP + "/?#@:]*)(?::(?<password>[^" + STOP + "/?#]*))?@");
    /** {@code user:password@} at the start of a URL without scheme. */
    private static final Pattern BARE_USER_INFO = Pattern.compile("(?<user>[^" + STOP + "/?#@:]*):(?<password>[^" + STOP + "/?#]*)@");
    /** {@code name=value} after the start, a separator of URLs ({@code ? & ;}) or of lists and text. */
    static final Pattern PARAMETER = Pattern.compile(
            "(?:^|(?<=[\\s?&;,(\\[{\"'>]))(?<name>[A-Za-z0-9_.\\-]+)=(?<value>[^&;#,)\\]}" + STOP + "]*)");
    /** {@code Name: value} or {@code Name=value} of a header, also quoted as in JSON; the value runs to the end of the line. */
    static final Pattern HEADER = Pattern.compile("(?i)(?:^|(?<=[\\s\"'{,;(\\[>]))"
            + "(?<name>proxy-authorization|authorization|set-cookie|cookie|[a-z0-9]+(?:-[a-z0-9]+)+)"
            + "(?<sep>\"?[ \\t]*[:=][ \\t]*)(?<value>\"[^\"\\r\\n]*|[^\"'\\r\\n,)}\\]<&|]*)");
    /** {@code "name": "value"} of JSON. */
    static final Pattern JSON_FIELD = Pattern.compile("\"(?<name>[A-Za-z0-9_.\\-]+)\"(?<sep>\\s*:\\s*)\"(?<value>(?:[^\"\\\\]++|\\\\.)*+)\"");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Redaction() {
    }

    /**
     * {@code text} as it may be shown: every rule above applied, and every secret of this process masked. Null stays
     * null. Applying it twice gives the same text.
     */
    public static String text(String text) {
        return text(text, Secrets.process());
    }

    /** As {@link #text(String)}, with the literal secrets of {@code secrets}. */
    public static String text(String text, Secrets secrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = replace(USER_INFO, text, Redaction::maskUserInfo);
        out = replace(HEADER, out, Redaction::maskHeader);
        out = replace(JSON_FIELD, out, m -> isSecretName(m.group("name")) && !m.group("value").isEmpty()
                ? "\"" + m.group("name") + "\"" + m.group("sep") + "\"" + MASK + "\"" : m.group());
        out = replace(PARAMETER, out, Redaction::maskParameter);
        return secrets.maskIn(out);
    }

    /**
     * A URL (http, JDBC, ...) as it may be shown: the password of its user-info and its secret parameters masked.
     * A URL written without its scheme ({@code user:password@host:9090}) is masked too. Null stays null.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        Matcher bare = BARE_USER_INFO.matcher(url);
        String out = !url.contains("://") && bare.lookingAt() ? bare.group("user") + ":" + MASK + "@" + url.substring(bare.end())
                : replace(USER_INFO, url, Redaction::maskUserInfo);
        return replace(PARAMETER, out, Redaction::maskParameter);
    }

    /** The value of header {@code name} as it may be shown: {@link #MASK} for a secret header, else the value. */
    public static String header(String name, String value) {
        return isSecretName(name) && value != null && !value.isEmpty() ? MASK : value;
    }

    /** Headers as they may be shown, in their order. */
    public static Map<String, String> headers(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, header(k, v)));
        return out;
    }

    /**
     * Whether a header, parameter or field named {@code name} holds a secret (see {@link #SECRET_PARTS},
     * {@link #SECRET_NAMES}). Keys ending in {@code Env} ({@code passwordEnv}, {@code tokenEnv}) hold the name of an
     * environment variable, not a secret.
     */
    public static boolean isSecretName(String name) {
        if (name == null || name.endsWith("Env")) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
        return SECRET_NAMES.contains(n) || SECRET_PARTS.stream().anyMatch(n::contains);
    }

    /**
     * Whether {@code value} can be the name of an environment variable ({@code [A-Za-z_][A-Za-z0-9_]*}). A
     * {@code passwordEnv} or {@code tokenEnv} that is not one is likely the secret itself: refuse it without quoting it.
     */
    public static boolean isEnvName(String value) {
        return value != null && ENV_NAME.matcher(value).matches();
    }

    /** HTML/XML escaping as the report writers do it, so a secret is also found in its escaped form. */
    static String escapeMarkup(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String maskUserInfo(Matcher m) {
        return m.group("password") == null ? m.group() : m.group("scheme") + m.group("user") + ":" + MASK + "@";
    }

    private static String maskParameter(Matcher m) {
        String value = m.group("value");
        // masked already (text redacted twice): what follows the mask is not part of the secret
        return isSecretName(m.group("name")) && !value.isEmpty() && !value.startsWith(MASK) ? m.group("name") + "=" + MASK : m.group();
    }

    private static String maskHeader(Matcher m) {
        String name = m.group("name");
        String value = m.group("value");
        if (!isSecretName(name) || value.isBlank() || value.equals("\"") || value.replaceFirst("^\"", "").startsWith(MASK)) {
            return m.group();
        }
        String trail = value.substring(value.stripTrailing().length());
        return name + m.group("sep") + (value.startsWith("\"") ? "\"" : "") + MASK + trail;
    }

    private static String replace(Pattern p, String text, Function<Matcher, String> replacement) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        do {
            m.appendReplacement(b, Matcher.quoteReplacement(replacement.apply(m)));
        } while (m.find());
        m.appendTail(b);
        return b.toString();
    }
}
