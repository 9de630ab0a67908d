package io.github.eiam;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and opens libeiam, in this order:
 * <ol>
 *   <li>{@code EIAM_LIB}, a path, if set: then nothing else is tried, so a
 *       wrong value is an error naming it rather than a silent fallback;</li>
 *   <li>{@code System.loadLibrary("eiam")}: {@code libeiam.so} in
 *       {@code java.library.path};</li>
 *   <li>the dynamic loader's own search for the SONAME {@code libeiam.so.0}
 *       ({@code LD_LIBRARY_PATH}, the ldconfig cache);</li>
 *   <li>the installed prefix of {@code make install} ({@code /usr/local/lib}).</li>
 * </ol>
 */
final class Library {
    static final String ENV = "EIAM_LIB";
    static final String SONAME = "libeiam.so.0";
    static final Path INSTALLED = Path.of("/usr/local/lib", SONAME);

    private static final String HOW_TO_POINT = "set EIAM_LIB to the path of libeiam.so, add its folder to "
            + "-Djava.library.path, or install libeiam (make install) where the dynamic loader looks";

    /** The opened library and a description of where it came from. */
    record Opened(SymbolLookup symbols, String source) {}

    static final Opened OPENED = open(System.getenv(ENV));

    private Library() {}

    static Opened open(String fromEnv) {
        if (fromEnv != null && !fromEnv.isEmpty()) {
            try {
                return new Opened(SymbolLookup.libraryLookup(Path.of(fromEnv), Arena.global()), fromEnv + " (EIAM_LIB)");
            } catch (IllegalArgumentException e) {
                throw new UnsatisfiedLinkError("cannot load libeiam from " + fromEnv + " (EIAM_LIB): " + e.getMessage()
                        + "; " + HOW_TO_POINT);
            }
        }
        List<String> tried = new ArrayList<>();
        try {
            System.loadLibrary("eiam");
            return new Opened(SymbolLookup.loaderLookup(), "java.library.path (" + System.getProperty("java.library.path") + ")");
        } catch (UnsatisfiedLinkError e) {
            tried.add("java.library.path (" + e.getMessage() + ")");
        }
        try {
            return new Opened(SymbolLookup.libraryLookup(SONAME, Arena.global()), SONAME + " (dynamic loader search)");
        } catch (IllegalArgumentException e) {
            tried.add(SONAME + " (" + e.getMessage() + ")");
        }
        if (Files.exists(INSTALLED)) {
            return new Opened(SymbolLookup.libraryLookup(INSTALLED, Arena.global()), INSTALLED.toString());
        }
        tried.add(INSTALLED + " (absent)");
        throw new UnsatisfiedLinkError("cannot load libeiam: tried " + String.join(", ", tried) + "; " + HOW_TO_POINT);
    }
}
