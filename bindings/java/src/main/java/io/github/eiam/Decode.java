package io.github.eiam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Copies the structs the library filled into Java records; the library's clear functions free them after. */
final class Decode {
    private Decode() {}

    static Owner owner(MemorySegment s) {
        return new Owner(string(s, Layouts.OWNER_USER_ID), string(s, Layouts.OWNER_USER_NAME),
                s.get(JAVA_BOOLEAN, Layouts.OWNER_DISABLED));
    }

    static Account account(MemorySegment s) {
        return new Account(string(s, Layouts.ACCOUNT_ID), string(s, Layouts.ACCOUNT_ACCOUNT_NAME),
                string(s, Layouts.ACCOUNT_NAME), string(s, Layouts.ACCOUNT_ORG_ID), string(s, Layouts.ACCOUNT_TYPE),
                s.get(JAVA_BOOLEAN, Layouts.ACCOUNT_DISABLED), string(s, Layouts.ACCOUNT_EXTENSION));
    }

    static AccountUser accountUser(MemorySegment s) {
        return new AccountUser(string(s, Layouts.ACCOUNT_USER_ID), string(s, Layouts.ACCOUNT_USER_USER_NAME),
                s.get(JAVA_BOOLEAN, Layouts.ACCOUNT_USER_DISABLED));
    }

    /** The items of a filled page ({@code eiam_account_page} or {@code eiam_account_user_page}). */
    static <T> List<T> items(MemorySegment page, StructLayout item, Function<MemorySegment, T> decode) {
        long len = page.get(JAVA_LONG, Layouts.PAGE_LEN);
        MemorySegment items = page.get(ADDRESS, Layouts.PAGE_ITEMS).reinterpret(len * item.byteSize());
        List<T> out = new ArrayList<>((int) len);
        for (long i = 0; i < len; i++) {
            out.add(decode.apply(items.asSlice(i * item.byteSize(), item)));
        }
        return out;
    }

    static <T> Page<T> page(MemorySegment page, StructLayout item, Function<MemorySegment, T> decode) {
        return new Page<>(items(page, item, decode), page.get(JAVA_LONG, Layouts.PAGE_TOTAL),
                page.get(JAVA_INT, Layouts.PAGE_PAGE));
    }

    private static String string(MemorySegment s, long offset) {
        return CStrings.read(s.get(ADDRESS, offset));
    }
}
