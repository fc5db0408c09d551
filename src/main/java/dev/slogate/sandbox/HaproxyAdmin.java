package dev.slogate.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** HAProxy's runtime API over its admin stats socket: one command per connection. */
public final class HaproxyAdmin {
    private final Path socket;

    public HaproxyAdmin(Path socket) {
        this.socket = socket;
    }

    public String command(String command) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("HAProxy admin socket " + socket + " did not answer '" + command
                    + "': " + e.getMessage() + "; is the sandbox running?", e);
        }
    }

    /**
     * HAProxy's status of every server of {@code backend} ({@code UP}, {@code DOWN}, {@code UP 1/2}, {@code MAINT}...).
     * HAProxy starts servers as UP before their first check, so an UP without a passed check reads {@code UP unchecked}.
     */
    public Map<String, String> serverStatus(String backend) {
        List<String> lines = command("show stat").lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            throw new IllegalStateException("unexpected answer to 'show stat': " + lines);
        }
        List<String> header = Arrays.asList(lines.get(0).substring(2).split(","));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int status = header.indexOf("status");
        int check = header.indexOf("check_status");
        Map<String, String> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length > status && f[px].equals(backend) && !f[sv].equals("BACKEND") && !f[sv].equals("FRONTEND")) {
                boolean checked = check >= 0 && f.length > check && f[check].startsWith("L7OK");
                out.put(f[sv], f[status].equals("UP") && !checked ? "UP unchecked" : f[status]);
            }
        }
        return out;
    }

    /** Points a server at another address (used to put a delaying proxy in front of a pod). */
    public void setServerAddress(String backend, String server, String host, int port) {
        String answer = command("set server " + backend + "/" + server + " addr " + host + " port " + port);
        String a = answer.toLowerCase();
        if (!a.contains("changed") && !a.contains("no need") && !a.isBlank()) {
            throw new IllegalStateException("HAProxy refused to move " + backend + "/" + server + ": " + answer.trim());
        }
    }
}
