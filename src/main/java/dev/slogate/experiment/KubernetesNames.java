package dev.slogate.experiment;

import java.util.regex.Pattern;

/**
 * The API server's syntax rules for the names slogate writes into Kubernetes objects and label selectors, so a bad
 * value is a validation error at its line instead of a 422 (or a 400 on a list call) in the middle of a run.
 * Rules as in Kubernetes' apimachinery validation: a label value, a label key (optional DNS subdomain prefix, then a
 * name), a DNS-1123 label (namespaces).
 */
public final class KubernetesNames {
    /** Label values, label key names and DNS labels: at most 63 characters. */
    public static final int MAX_LABEL_LENGTH = 63;
    private static final int MAX_PREFIX_LENGTH = 253;
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private KubernetesNames() {
    }

    /** Empty, or up to 63 of letters, digits, '-', '_', '.', beginning and ending with a letter or digit. */
    public static boolean isLabelValue(String v) {
        return v != null && v.length() <= MAX_LABEL_LENGTH && LABEL_VALUE.matcher(v).matches();
    }

    /** {@code name} or {@code prefix/name}: the name as a non-empty label value, the prefix a DNS subdomain of at most 253. */
    public static boolean isLabelKey(String k) {
        if (k == null) {
            return false;
        }
        int slash = k.indexOf('/');
        String name = slash < 0 ? k : k.substring(slash + 1);
        if (slash >= 0) {
            String prefix = k.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return !name.isEmpty() && isLabelValue(name);
    }

    /** A DNS-1123 label (a namespace's name): lower-case letters, digits, '-', alphanumeric at both ends, at most 63. */
    public static boolean isDnsLabel(String v) {
        return v != null && v.length() <= MAX_LABEL_LENGTH && DNS_LABEL.matcher(v).matches();
    }

    /** Why {@code v} is not a label value (for an error message); null when it is one. */
    public static String labelValueProblem(String v) {
        if (v.length() > MAX_LABEL_LENGTH) {
            return "has " + v.length() + " characters; a Kubernetes label value has at most " + MAX_LABEL_LENGTH;
        }
        return isLabelValue(v) ? null
                : "is not a Kubernetes label value (letters, digits, '-', '_', '.', beginning and ending with a letter or digit)";
    }
}
