package dev.slogate.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two JSON endpoints of the demo service for journeys: {@code POST /shop/login} with {@code {"user": "ann"}} answers
 * {@code {"user": "ann", "token": "..."}}; {@code GET /shop/cart} answers 200 only with {@code Authorization: Bearer
 * <that token>}, else 401. The token is derived from the user name, so every pod checks what any other one issued:
 * a journey that extracts the token and sends it on shows up as 200s, a broken extraction as 401s.
 */
final class DemoShop {
    static final String PREFIX = "/shop/";
    private static final Pattern USER = Pattern.compile("\"user\"\\s*:\\s*\"([A-Za-z0-9@._-]{1,64})\"");

    private DemoShop() {
    }

    record Answer(int status, String body) {
    }

    static boolean serves(String path) {
        return path.startsWith(PREFIX);
    }

    static Answer answer(HttpExchange ex, byte[] body) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/shop/login") && method.equals("POST")) {
            Matcher m = USER.matcher(new String(body, StandardCharsets.UTF_8));
            if (!m.find()) {
                return new Answer(400, "{\"error\": \"write {\\\"user\\\": \\\"name\\\"}\"}");
            }
            String user = m.group(1);
            return new Answer(200, "{\"user\": \"" + user + "\", \"token\": \"" + token(user) + "\"}");
        }
        if (path.equals("/shop/cart") && method.equals("GET")) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : "";
            int dash = token.lastIndexOf('.');
            String user = dash < 0 ? "" : token.substring(dash + 1);
            if (user.isEmpty() || !token.equals(token(user))) {
                return new Answer(401, "{\"error\": \"no valid token\"}");
            }
            return new Answer(200, "{\"user\": \"" + user + "\", \"items\": 2}");
        }
        return new Answer(404, "{\"error\": \"no such endpoint\"}");
    }

    /** Not a secret, only a check that the client sent back what it was given. */
    static String token(String user) {
        return Integer.toHexString((user + "/slogate-demo").hashCode()) + "." + user;
    }
}
