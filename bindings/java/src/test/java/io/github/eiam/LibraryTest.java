package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How libeiam is found. */
class LibraryTest {
    @Test
    void theLibraryInUseSaysWhereItCameFrom() {
        String source = Library.OPENED.source();
        String fromEnv = System.getenv(Library.ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            assertTrue(source.equals(fromEnv + " (EIAM_LIB)"), source);
        } else {
            assertTrue(source.startsWith("java.library.path"), source);
        }
        assertTrue(Client.version().length() > 0);
    }

    @Test
    void aWrongEiamLibIsAnErrorNamingItAndNothingElseIsTried() {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> Library.open("/no/such/libeiam.so"));
        assertTrue(e.getMessage().startsWith("cannot load libeiam from /no/such/libeiam.so (EIAM_LIB)"), e.getMessage());
        assertTrue(e.getMessage().contains("java.library.path"), "says how to point at it: " + e.getMessage());
    }
}
