package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** The lists as Streams over the C pagers: the stopping rules are the library's; the pager is freed once. */
class PagingTest extends MockTest {
    private static final String APP = "paging-app";

    @Test
    void twoHundredFiftyAccountsInThreePagesOfAHundredWithoutDuplicates() {
        long before = mock.apiRequests();
        List<String> ids = client.accounts(APP, null).map(Account::id).toList();
        assertEquals(250, ids.size());
        assertEquals(250, new HashSet<>(ids).size(), "no duplicates");
        assertEquals(3, mock.apiRequests() - before, "three pages; the walk stops at total without asking for a fourth");
        assertEquals(0, client.openPagers(), "a stream consumed to its end has freed its pager");
    }

    @Test
    void thePagesOneByOne() {
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < 3; p++) {
            Page<Account> page = client.listAccounts(APP, null, p, 100);
            assertEquals(250, page.total());
            assertEquals(p, page.page());
            assertEquals(p < 2 ? 100 : 50, page.items().size());
            page.items().forEach(a -> assertTrue(seen.add(a.id()), a.id()));
        }
        assertTrue(client.listAccounts(APP, null, 3, 100).items().isEmpty());
    }

    @Test
    void closingAStreamEarlyFreesItsPager() {
        try (Stream<Account> accounts = client.accounts(APP, null, 10)) {
            assertEquals(15, accounts.limit(15).count());
            assertEquals(1, client.openPagers());
        }
        assertEquals(0, client.openPagers());
    }

    @Test
    void aFailedPageEndsTheWalkAndFreesThePager() {
        Iterator<Account> it = client.accounts(APP, null, 100).iterator();
        for (int i = 0; i < 100; i++) {
            it.next();
        }
        mock.fault(new JSONObject().put("target", "api").put("count", 1).put("status", 500));
        EiamException e = assertThrows(EiamException.class, it::hasNext);
        assertEquals(500, e.httpStatus());
        assertEquals(0, client.openPagers());
        assertFalse(it.hasNext(), "after a failure the walk is over");
    }

    @Test
    void closingTheClientFreesItsOpenPagersAndLaterReadsThrow() {
        Client c = mock.client();
        Iterator<Account> it = c.accounts(APP, null, 100).iterator();
        it.next();
        assertEquals(1, c.openPagers());
        c.close();
        assertEquals(0, c.openPagers());
        for (int i = 1; i < 100; i++) {
            it.next(); // the first page was copied into Java
        }
        assertThrows(IllegalStateException.class, it::hasNext);
    }

    @Test
    void aStreamDroppedUnfinishedIsFreedByTheCleaner() {
        dropAStreamAfterOneItem();
        for (int i = 0; i < 200 && client.openPagers() > 0; i++) {
            System.gc(); // the Cleaner frees it once the stream is collected
            Thread.onSpinWait();
        }
        assertEquals(0, client.openPagers());
    }

    private void dropAStreamAfterOneItem() {
        assertTrue(client.accounts(APP, null).iterator().hasNext());
        assertEquals(1, client.openPagers());
    }

    @Test
    void membersOfAPublicAccountAsAStream() {
        assertEquals(Set.of("zhangsan", "cq04130006"),
                new HashSet<>(client.publicAccountUsers("demo-app", "pub-1", 10).map(AccountUser::userName).toList()));
        assertEquals(List.of(), client.publicAccountUsers("demo-app", "pub-2").toList());
        Expect.error(EiamException.Api.class, "APP.ACCOUNT.0038", 400,
                () -> client.publicAccountUsers("demo-app", "no-such-account").toList());
        assertEquals(0, client.openPagers());
    }
}
