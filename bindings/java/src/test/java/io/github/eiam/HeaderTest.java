package io.github.eiam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The binding's declarations against include/eiam.h: every function with
 * its prototype, every struct's fields in order with their C types, and the
 * status numbers. A changed header fails here, not in a crash.
 */
class HeaderTest {
    private static final String HEADER = read();

    private static String read() {
        try {
            return Files.readString(Repo.ROOT.resolve("include/eiam.h")).replaceAll("(?s)/\\*.*?\\*/", "");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The FFM layout of a C type of the header (structs by value only as struct eiam_error). */
    private static MemoryLayout layoutOf(String cType) {
        String t = cType.replace("const ", "").replaceAll("\\s+", " ").trim();
        if (t.endsWith("*") || t.equals("eiam_progress_fn") || t.equals("eiam_done_fn")
                || t.equals("eiam_bind_next_fn") || t.equals("eiam_bind_done_fn")) {
            return ADDRESS;
        }
        return switch (t) {
            case "bool" -> JAVA_BOOLEAN;
            case "int", "uint32_t", "enum eiam_status" -> JAVA_INT;
            case "uint16_t" -> JAVA_SHORT;
            case "size_t", "uint64_t" -> JAVA_LONG;
            case "struct eiam_error" -> Layouts.ERROR;
            default -> throw new AssertionError("no layout for C type " + cType);
        };
    }

    /** "const char *name" as [type, name]. */
    private static String[] typeAndName(String declaration) {
        Matcher m = Pattern.compile("^(.*?[\\s*])(\\w+)$").matcher(declaration.trim());
        assertTrue(m.matches(), declaration);
        return new String[] {m.group(1).trim(), m.group(2)};
    }

    /** A layout without its name (a nested struct keeps its members' names). */
    private static String erase(MemoryLayout layout) {
        return layout.withoutName().toString();
    }

    @Test
    void everyFunctionIsDeclaredWithTheHeadersPrototype() {
        Map<String, String> expected = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^([a-z][\\w ]*?[\\w*]+\\s*\\**)\\s*(eiam_\\w+)\\(([^)]*)\\);").matcher(HEADER);
        while (m.find()) {
            List<String> params = new ArrayList<>();
            String list = m.group(3).trim();
            if (!list.equals("void")) {
                for (String p : list.split(",")) {
                    params.add(erase(layoutOf(typeAndName(p)[0])));
                }
            }
            String result = m.group(1).trim();
            expected.put(m.group(2), (result.equals("void") ? "void" : erase(layoutOf(result))) + " " + params);
        }
        assertTrue(expected.size() >= 50, "found only " + expected.size() + " functions in the header");
        Map<String, String> declared = new TreeMap<>();
        Native.DECLARED.forEach((name, d) -> declared.put(name, describe(d)));
        assertEquals(expected, declared);
    }

    private static String describe(FunctionDescriptor d) {
        Optional<MemoryLayout> result = d.returnLayout();
        return result.map(HeaderTest::erase).orElse("void") + " " + d.argumentLayouts().stream().map(HeaderTest::erase).toList();
    }

    @Test
    void everyStructHasTheHeadersFieldsInOrder() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?s)typedef struct (eiam_\\w+) \\{(.*?)\\} \\1;").matcher(HEADER);
        while (m.find()) {
            List<String> fields = new ArrayList<>();
            for (String line : m.group(2).split(";")) {
                if (!line.isBlank()) {
                    String[] tn = typeAndName(line);
                    fields.add(tn[1] + ":" + erase(layoutOf(tn[0])));
                }
            }
            expected.put(m.group(1), fields);
        }
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (StructLayout s : Layouts.ALL) {
            declared.put(s.name().orElseThrow(), s.memberLayouts().stream().filter(l -> !(l instanceof PaddingLayout))
                    .map(l -> l.name().orElseThrow() + ":" + erase(l)).toList());
        }
        assertEquals(new TreeMap<>(expected), new TreeMap<>(declared));
    }

    @Test
    void statusesHaveTheHeadersNumbers() {
        Map<String, Integer> expected = new TreeMap<>();
        Matcher m = Pattern.compile("EIAM_STATUS_(\\w+) = (\\d+)").matcher(HEADER);
        while (m.find()) {
            expected.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        Map<String, Integer> declared = new TreeMap<>();
        Arrays.stream(Status.values()).forEach(s -> declared.put(s.name(), s.number()));
        assertEquals(expected, declared);
    }

    @Test
    void theConstantsTheBindingRepeatsAreTheHeaders() {
        assertTrue(HEADER.contains("#define EIAM_DEFAULT_PAGE_SIZE EIAM_MAX_PAGE_SIZE"));
        assertTrue(HEADER.contains("#define EIAM_MAX_PAGE_SIZE " + Client.DEFAULT_PAGE_SIZE + "\n"));
        assertTrue(HEADER.contains("#define EIAM_BOOL_UNSET " + Idempotency.BY_METHOD.cBool + "\n"));
        assertTrue(HEADER.contains("#define EIAM_BOOL_FALSE " + Idempotency.NOT_IDEMPOTENT.cBool + "\n"));
        assertTrue(HEADER.contains("#define EIAM_BOOL_TRUE " + Idempotency.IDEMPOTENT.cBool + "\n"));
    }
}
