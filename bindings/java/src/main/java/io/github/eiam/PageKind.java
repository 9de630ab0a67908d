package io.github.eiam;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.Function;

/** The C functions and types of one kind of list: its page struct, its items, and its pager. */
record PageKind<T>(StructLayout page, MethodHandle clearPage, StructLayout item, Function<MemorySegment, T> decode,
        MethodHandle pagerNext, MethodHandle pagerFree) {
    static final PageKind<Account> ACCOUNTS = new PageKind<>(Layouts.ACCOUNT_PAGE, Native.eiam_account_page_clear,
            Layouts.ACCOUNT, Decode::account, Native.eiam_account_pager_next, Native.eiam_account_pager_free);
    static final PageKind<AccountUser> ACCOUNT_USERS = new PageKind<>(Layouts.ACCOUNT_USER_PAGE,
            Native.eiam_account_user_page_clear, Layouts.ACCOUNT_USER, Decode::accountUser,
            Native.eiam_account_user_pager_next, Native.eiam_account_user_pager_free);

    /** A C call that fills a zeroed page struct (and throws if it fails). */
    @FunctionalInterface
    interface Fill {
        void fill(MemorySegment page);
    }

    /** The page {@code fill} fills, copied; the C page is cleared with the library's function whatever happens. */
    Page<T> read(Arena arena, Fill fill) {
        MemorySegment c = arena.allocate(page);
        try {
            fill.fill(c);
            return Decode.page(c, item, decode);
        } finally {
            Calls.release(clearPage, c);
        }
    }
}
