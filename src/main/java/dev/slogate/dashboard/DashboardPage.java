package dev.slogate.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard page, put together from its three resources in the jar ({@code dashboard/page.html}, {@code .css},
 * {@code .js}) into one document that loads nothing from elsewhere. Live, it reads the run from {@code /events};
 * as {@code dashboard.html} it carries the whole run inline and needs no server.
 */
final class DashboardPage {
    private static final String TEMPLATE = resource("page.html")
            .replace("/*CSS*/", resource("dashboard.css"))
            .replace("/*JS*/", resource("dashboard.js"));
    private static final String DATA = "/*DATA*/null";

    private DashboardPage() {
    }

    /** The page a browser gets from the live dashboard. */
    static String live() {
        return TEMPLATE;
    }

    /**
     * The page with the run's state inlined. {@code stateJson} is a {@link DashboardState} snapshot: one line, with
     * every {@code <} escaped, so it cannot end the script element it sits in.
     */
    static String snapshot(String stateJson) {
        if (stateJson.contains("<")) {
            throw new IllegalArgumentException("the inlined state must have '<' escaped");
        }
        int at = TEMPLATE.indexOf(DATA);
        return TEMPLATE.substring(0, at) + stateJson + TEMPLATE.substring(at + DATA.length());
    }

    private static String resource(String name) {
        try (InputStream in = DashboardPage.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is missing from the jar; rebuild slogate (mvn package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
