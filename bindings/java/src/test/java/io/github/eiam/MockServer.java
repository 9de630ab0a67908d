package io.github.eiam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.json.JSONObject;

/**
 * The project's mock server, started the way users would: {@code eiam-mock
 * --exit-on-stdin-eof}, reading its {@code EIAM_MOCK_*=...} lines. It exits
 * when its stdin closes, so it cannot outlive the test JVM. Its admin
 * endpoints ({@code /__mock/...}) drive and inspect it.
 */
final class MockServer implements AutoCloseable {
    final String url;
    final String clientId;
    final String clientSecret;
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();

    private MockServer(Process process, Map<String, String> env) {
        this.process = process;
        this.url = env.get("EIAM_MOCK_URL");
        this.clientId = env.get("EIAM_MOCK_CLIENT_ID");
        this.clientSecret = env.get("EIAM_MOCK_CLIENT_SECRET");
    }

    static Path binary() {
        String fromEnv = System.getenv("EIAM_MOCK_BIN");
        return fromEnv != null ? Path.of(fromEnv) : Repo.ROOT.resolve("target/debug/eiam-mock");
    }

    static MockServer start() {
        try {
            Process process = new ProcessBuilder(binary().toString(), "--exit-on-stdin-eof")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Map<String, String> env = new HashMap<>();
            while (env.size() < 3) {
                String line = out.readLine();
                if (line == null || !line.startsWith("EIAM_MOCK_") || !line.contains("=")) {
                    process.destroy();
                    throw new IllegalStateException("eiam-mock did not start: " + line);
                }
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
            // Keep reading, so that a full pipe never blocks the mock.
            Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "eiam-mock stdout");
            drain.setDaemon(true);
            drain.start();
            return new MockServer(process, env);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary(), e);
        }
    }

    Config.Builder config() {
        return Config.builder().baseUrl(url).clientId(clientId).clientSecret(clientSecret);
    }

    Client client() {
        return new Client(config().build());
    }

    /** Calls {@code /__mock/<name>}; {@code body} null sends none. */
    JSONObject admin(String method, String name, JSONObject body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/__mock/" + name))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("content-type", "application/json")
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/__mock/" + name + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return new JSONObject(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void reset() {
        admin("POST", "reset", null);
    }

    JSONObject stats() {
        return admin("GET", "stats", null);
    }

    long requests() {
        return stats().getLong("requests");
    }

    long apiRequests() {
        return stats().getLong("api_requests");
    }

    void fault(JSONObject spec) {
        admin("POST", "faults", spec);
    }

    /** The user name of the owner of {@code appUserId}, or null. */
    String ownerOf(String appId, String appUserId) {
        JSONObject owner = admin("GET", "owner?app_id=" + appId + "&app_user_id=" + appUserId, null);
        return owner.isNull("user_name") ? null : owner.getString("user_name");
    }

    void addUser(String userName) {
        admin("POST", "users", new JSONObject().put("user_name", userName));
    }

    String addPublicAccount(String appId, String appUserId) {
        return admin("POST", "public-accounts", new JSONObject().put("app_id", appId).put("app_user_id", appUserId))
                .getString("account_id");
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close(); // closing its stdin ends it
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }
}
