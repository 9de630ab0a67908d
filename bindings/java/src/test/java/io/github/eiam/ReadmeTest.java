package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The README's Java example runs as written against the mock (only the
 * tenant URL and credentials are swapped): compiled with the JDK's compiler
 * and run in this JVM, with the imports a user's file would have.
 */
class ReadmeTest extends MockTest {
    private static final String IMPORTS = "import io.github.eiam.*;\nimport java.time.Duration;\nimport java.util.concurrent.CompletableFuture;\nimport java.util.stream.Stream;\n";

    private static String javaExample() throws Exception {
        String readme = Files.readString(Repo.ROOT.resolve("README.md"));
        int start = readme.indexOf("\n**Java** (`bindings/java`");
        String section = readme.substring(start, readme.indexOf("\n## ", start));
        Matcher m = Pattern.compile("(?s)```java\n(.*?)```").matcher(section);
        assertTrue(m.find(), "the Java section has a java block");
        return m.group(1);
    }

    private static String swapped(String code, String placeholder, String value) {
        assertTrue(code.contains(placeholder), placeholder);
        return code.replace(placeholder, value);
    }

    @Test
    void theExampleRunsAgainstTheMock() throws Exception {
        String code = javaExample();
        code = swapped(code, "\"https://acme.idaas.example.com\"", '"' + mock.url + '"');
        code = swapped(code, "clientId(\"...\")", "clientId(\"" + mock.clientId + "\")");
        code = swapped(code, "clientSecret(\"...\")", "clientSecret(\"" + mock.clientSecret + "\")");
        Path dir = Files.createTempDirectory("eiam-readme");
        Files.writeString(dir.resolve("Example.java"),
                IMPORTS + "public class Example { public static void main(String[] args) {\n" + code + "\n} }\n");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(),
                "-cp", System.getProperty("java.class.path"), dir.resolve("Example.java").toString());
        assertEquals(0, compiled, "the README's example compiles");

        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            loader.loadClass("Example").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(stdout);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("zhangsan owns pub-2", "async: zhangsan", "pub-1 pub-1", "pub-2 pub-2",
                "APP.ACCOUNT.0038 400 api error APP.ACCOUNT.0038 (HTTP 400): 公共账号不存在"), lines);
        assertEquals("zhangsan", mock.ownerOf("demo-app", "pub-2"));
    }
}
