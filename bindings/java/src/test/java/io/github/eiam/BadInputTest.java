package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What Java can hold and C cannot carry, for every string argument: null
 * is a NullPointerException naming the argument; an embedded NUL and a lone
 * surrogate are an InvalidArgument naming it, before anything reaches the
 * mock, without echoing the value. Well-formed non-BMP text goes through.
 */
class BadInputTest extends MockTest {
    /** A call with one string argument named {@code name} set to the given value; the others are fine. */
    private record Arg(String name, Consumer<String> call) {}

    private List<Arg> arguments() {
        List<Arg> args = new ArrayList<>();
        args.add(new Arg("appId", v -> client.getPublicAccountOwner(v, "pub-1")));
        args.add(new Arg("appUserId", v -> client.getPublicAccountOwner("demo-app", v)));
        args.add(new Arg("userName", v -> client.bindPublicAccountOwner("demo-app", "pub-1", v)));
        args.add(new Arg("accountName", v -> client.createPublicAccount("demo-app", v, null)));
        args.add(new Arg("accountName", v -> client.createOrphanAccount("demo-app", v, null)));
        args.add(new Arg("userId", v -> client.createBasicAccount("demo-app", v, null, null)));
        args.add(new Arg("accountId", v -> client.getAccount("demo-app", v)));
        args.add(new Arg("accountId", v -> client.disableAccount("demo-app", v)));
        args.add(new Arg("accountId", v -> client.enableAccount("demo-app", v)));
        args.add(new Arg("accountId", v -> client.deleteAccount("demo-app", v)));
        args.add(new Arg("accountName", v -> client.updateAccount("demo-app", "pub-1", v, null)));
        args.add(new Arg("userNames[1]", v -> client.addPublicAccountUsers("demo-app", "pub-1", list("zhangsan", v))));
        args.add(new Arg("userNames[0]", v -> client.removePublicAccountUsers("demo-app", "pub-1", list(v))));
        args.add(new Arg("appUserId", v -> client.listPublicAccountUsers("demo-app", v, 0, 10)));
        args.add(new Arg("appId", v -> client.listAccounts(v, null, 0, 10)));
        args.add(new Arg("appId", v -> client.accounts(v, null).findFirst()));
        args.add(new Arg("appUserId", v -> client.publicAccountUsers("demo-app", v).findFirst()));
        args.add(new Arg("items[1].userName", v -> client.bindPublicAccountOwners(
                List.of(new BindItem("demo-app", "pub-1", "zhangsan"), new BindItem("demo-app", "pub-2", v)))));
        args.add(new Arg("method", v -> client.request(v, "/api/v2/x", null)));
        args.add(new Arg("query[0].value", v -> client.request("GET", "/api/v2/x", List.of(QueryParam.of("a", v)), null,
                Idempotency.BY_METHOD)));
        args.add(new Arg("baseUrl", v -> new Client(Config.builder().baseUrl(v).build())));
        args.add(new Arg("clientSecret", v -> new Client(mock.config().clientSecret(v).build())));
        args.add(new Arg("accessToken", v -> new Client(Config.builder().baseUrl(mock.url).accessToken(v).build())));
        return args;
    }

    /** Optional arguments: null means "not sent", so only bad text is tested. */
    private List<Arg> optionalArguments() {
        return List.of(
                new Arg("accountType", v -> client.listAccounts("demo-app", v, 0, 10)),
                new Arg("accountName", v -> client.createBasicAccount("demo-app", "u1", v, null)),
                new Arg("jsonBody", v -> client.request("POST", "/api/v2/x", v)),
                new Arg("fields.password", v -> client.createPublicAccount("demo-app", "a",
                        AccountFields.builder().password(v).build())),
                new Arg("fields.extension", v -> client.updateAccount("demo-app", "pub-1", "a",
                        AccountFields.builder().extension(v).build())));
    }

    private static List<String> list(String... values) {
        return java.util.Arrays.asList(values); // allows null, unlike List.of
    }

    @TestFactory
    Stream<DynamicTest> nullIsANullPointerExceptionNamingTheArgument() {
        return arguments().stream().map(arg -> DynamicTest.dynamicTest(arg.name(), () -> {
            NullPointerException e = assertThrows(NullPointerException.class, () -> arg.call().accept(null));
            assertEquals(arg.name(), e.getMessage());
        }));
    }

    @TestFactory
    Stream<DynamicTest> textCCannotCarryIsRefusedNamingTheArgument() {
        List<String[]> inputs = List.of(
                new String[] {"hunter2\0-other", "must not contain NUL characters"},
                new String[] {"hunter2-\uD800", "is not valid Unicode text"},
                new String[] {"\uDC00hunter2", "is not valid Unicode text"},
                new String[] {"hunter2\uDC00\uD800", "is not valid Unicode text"});
        return Stream.concat(arguments().stream(), optionalArguments().stream()).flatMap(arg -> inputs.stream()
                .map(input -> DynamicTest.dynamicTest(arg.name() + ": " + input[1], () -> {
                    long before = mock.requests();
                    EiamException.InvalidArgument e = assertThrows(EiamException.InvalidArgument.class,
                            () -> arg.call().accept(input[0]));
                    assertEquals(arg.name() + " " + input[1], e.detail().substring(0, arg.name().length() + 1 + input[1].length()));
                    assertEquals("invalid argument error: " + e.detail(), e.getMessage());
                    assertEquals(null, e.code());
                    assertEquals(0, e.httpStatus());
                    assertFalse(e.getMessage().contains("hunter2"), "the value was echoed: " + e.getMessage());
                    assertEquals(before, mock.requests(), "a request reached the mock");
                })));
    }

    @Test
    void nullListsAndItemsAreNamedToo() {
        assertEquals("userNames", assertThrows(NullPointerException.class,
                () -> client.addPublicAccountUsers("demo-app", "pub-1", null)).getMessage());
        assertEquals("items", assertThrows(NullPointerException.class, () -> client.bindPublicAccountOwners(null)).getMessage());
        assertEquals("items[0]", assertThrows(NullPointerException.class,
                () -> client.bindPublicAccountOwners(java.util.Arrays.asList((BindItem) null))).getMessage());
        assertEquals("config", assertThrows(NullPointerException.class, () -> new Client(null)).getMessage());
    }

    @Test
    void negativeNumbersAreRefusedSinceCHoldsThemUnsigned() {
        long before = mock.requests();
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> client.listAccounts("paging-app", null, -1, 10),
                () -> client.listPublicAccountUsers("demo-app", "pub-1", 0, -10),
                () -> client.accounts("paging-app", null, -1),
                () -> client.bindPublicAccountOwners(List.of(), -1, null),
                () -> mock.config().maxRetries(-1),
                () -> mock.config().timeout(java.time.Duration.ofMillis(-1)))) {
            EiamException.InvalidArgument e = assertThrows(EiamException.InvalidArgument.class, call);
            assertEquals(true, e.detail().endsWith("must not be negative"), e.detail());
        }
        assertEquals(before, mock.requests());
    }

    @Test
    void nonBmpTextRoundTripsThroughAUserNameAndAnExtension() {
        String clef = "𝄞-musician";
        mock.addUser(clef);
        client.bindPublicAccountOwner("demo-app", "pub-2", clef);
        assertEquals(clef, mock.ownerOf("demo-app", "pub-2"));
        assertEquals(clef, client.getPublicAccountOwner("demo-app", "pub-2").userName());

        String extension = new JSONObject().put("clef", "𝄞").put("名", "张三").toString();
        String id = client.createPublicAccount("demo-app", "𝄞-box", AccountFields.builder().name("𝄞 Box")
                .extension(extension).build());
        Account account = client.getAccount("demo-app", id);
        assertEquals("𝄞-box", account.accountName());
        assertEquals("𝄞 Box", account.name());
        assertEquals("𝄞", new JSONObject(account.extension()).getString("clef"));
        assertEquals("张三", new JSONObject(account.extension()).getString("名"));
    }
}
