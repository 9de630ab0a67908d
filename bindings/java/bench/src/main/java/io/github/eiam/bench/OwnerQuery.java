package io.github.eiam.bench;

import io.github.eiam.Client;
import io.github.eiam.Config;
import io.github.eiam.Owner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The owner query (GET .../public-account/pub-1/owner) through eiam, and
 * what a Java user would write instead: java.net.http.HttpClient with the
 * same headers as bench/runners.py, the JSON parsed with org.json into the
 * same record. Both on one mock (EIAM_MOCK_BIN, its own process), each with
 * its token fetched in setup, one call at a time on one connection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OwnerQuery {
    private static final String PATH = "/api/v2/tenant/applications/demo-app/accounts/public-account/pub-1/owner";

    private Process mock;
    private Map<String, String> env;
    private Client eiam;
    private HttpClient http;
    private HttpRequest ownerRequest;

    @Setup(Level.Trial)
    public void start() throws Exception {
        mock = new ProcessBuilder(System.getenv("EIAM_MOCK_BIN"), "--exit-on-stdin-eof")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(mock.getInputStream(), StandardCharsets.UTF_8));
        env = new HashMap<>();
        while (env.size() < 3) {
            String line = out.readLine();
            env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        String url = env.get("EIAM_MOCK_URL");
        eiam = new Client(Config.builder().baseUrl(url).clientId(env.get("EIAM_MOCK_CLIENT_ID"))
                .clientSecret(env.get("EIAM_MOCK_CLIENT_SECRET")).build());
        eiam.authenticate();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ownerRequest = HttpRequest.newBuilder(URI.create(url + PATH))
                .header("Authorization", "Bearer " + token(url))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .GET().build();
    }

    private String token(String url) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(
                (env.get("EIAM_MOCK_CLIENT_ID") + ":" + env.get("EIAM_MOCK_CLIENT_SECRET")).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v2/tenant/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        return new JSONObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).getString("access_token");
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        eiam.close();
        http.close();
        mock.getOutputStream().close();
        mock.waitFor();
    }

    @Benchmark
    public Owner eiam() {
        return eiam.getPublicAccountOwner("demo-app", "pub-1");
    }

    @Benchmark
    public Owner httpClientOrgJson() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(ownerRequest, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        JSONObject o = new JSONObject(response.body());
        return new Owner(o.getString("user_id"), o.getString("user_name"), o.getBoolean("disabled"));
    }
}
