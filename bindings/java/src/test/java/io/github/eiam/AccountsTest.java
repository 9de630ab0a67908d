package io.github.eiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** The account calls, each with success and its typed errors, and the raw request. */
class AccountsTest extends MockTest {
    private static final String APP = "demo-app";

    private JSONObject stored(String accountId) {
        return mock.admin("GET", "account?app_id=" + APP + "&account_id=" + accountId, null).getJSONObject("account");
    }

    @Test
    void createAPublicAccountWithEveryField() {
        AccountFields fields = AccountFields.builder().name("Shared Box").orgCode("root").password("s3cret-pw")
                .disabled(true).extension("{\"dept\":\"ops\",\"n\":1}").build();
        String id = client.createPublicAccount(APP, "shared-box", fields);
        Account account = client.getAccount(APP, id);
        assertEquals(new Account(id, "shared-box", "Shared Box", account.orgId(), "PUBLIC_ACCOUNT", true, account.extension()),
                account);
        assertNotNull(account.orgId(), "org code root resolves to an org id");
        assertEquals(new JSONObject("{\"dept\":\"ops\",\"n\":1}").toMap(), new JSONObject(account.extension()).toMap());
        assertTrue(mock.admin("POST", "password-is", new JSONObject().put("app_id", APP).put("account_id", id)
                .put("password", "s3cret-pw")).getBoolean("matches"));
        assertFalse(fields.toString().contains("s3cret-pw"), fields.toString());
    }

    @Test
    void createWithoutFieldsSendsNone() {
        String id = client.createOrphanAccount(APP, "orphan-1", null);
        Account account = client.getAccount(APP, id);
        assertEquals("ORPHAN_ACCOUNT", account.accountType());
        assertNull(account.name());
        assertFalse(account.disabled());
        assertEquals("{}", account.extension().replace(" ", ""));
        assertFalse(stored(id).getBoolean("has_password"));
    }

    @Test
    void createABasicAccountOfAUserWithAndWithoutAName() {
        String userId = client.getPublicAccountOwner(APP, "pub-1").userId();
        String named = client.createBasicAccount(APP, userId, "zhangsan-app", AccountFields.builder().build());
        assertEquals("zhangsan-app", client.getAccount(APP, named).accountName());
        assertEquals("BASIC_ACCOUNT", client.getAccount(APP, named).accountType());
        client.deleteAccount(APP, named);
        String unnamed = client.createBasicAccount(APP, userId, null, null);
        assertFalse(client.getAccount(APP, unnamed).accountName().isEmpty());
    }

    @Test
    void createInAnUnknownApplicationIsApp0001() {
        Expect.error(EiamException.Api.class, "APP.0001", 400, () -> client.createPublicAccount("no-such-app", "x", null));
    }

    @Test
    void updateChangesOnlyTheFieldsSet() {
        String id = client.createPublicAccount(APP, "before", AccountFields.builder().name("Kept").build());
        assertEquals(id, client.updateAccount(APP, id, "after", AccountFields.builder().extension("{\"k\":\"v\"}").build()));
        Account account = client.getAccount(APP, id);
        assertEquals("after", account.accountName());
        assertEquals("Kept", account.name());
        assertEquals("v", new JSONObject(account.extension()).getString("k"));
        assertEquals(id, client.updateAccount(APP, id, "after", null));
    }

    @Test
    void disableEnableDelete() {
        String id = client.createOrphanAccount(APP, "lifecycle", null);
        assertEquals(id, client.disableAccount(APP, id));
        assertTrue(client.getAccount(APP, id).disabled());
        assertEquals(id, client.enableAccount(APP, id));
        assertFalse(client.getAccount(APP, id).disabled());
        long before = mock.admin("GET", "account-count?app_id=" + APP, null).getLong("count");
        client.deleteAccount(APP, id);
        assertEquals(before - 1, mock.admin("GET", "account-count?app_id=" + APP, null).getLong("count"));
    }

    @Test
    void anUnknownAccountIsAppAccount0028InEveryCall() {
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> client.getAccount(APP, "no-such-account"),
                () -> client.updateAccount(APP, "no-such-account", "x", null),
                () -> client.disableAccount(APP, "no-such-account"),
                () -> client.enableAccount(APP, "no-such-account"),
                () -> client.deleteAccount(APP, "no-such-account"))) {
            Expect.error(EiamException.Api.class, "APP.ACCOUNT.0028", 400, call);
        }
    }

    @Test
    void emptyAccountIdIsRefusedLocally() {
        long before = mock.requests();
        Expect.error(EiamException.InvalidArgument.class, "APP.ACCOUNT.0047", 0, () -> client.getAccount(APP, ""));
        Expect.error(EiamException.InvalidArgument.class, "APP.0006", 0, () -> client.deleteAccount("", "x"));
        assertEquals(before, mock.requests());
    }

    @Test
    void addListRemoveMembers() {
        assertEquals("pub-2", client.addPublicAccountUsers(APP, "pub-2", List.of("zhangsan", "cq04130006")));
        Page<AccountUser> page = client.listPublicAccountUsers(APP, "pub-2", 0, 10);
        assertEquals(2, page.total());
        assertEquals(0, page.page());
        assertEquals(List.of("cq04130006", "zhangsan"), page.items().stream().map(AccountUser::userName).sorted().toList());
        assertEquals("pub-2", client.removePublicAccountUsers(APP, "pub-2", List.of("zhangsan")));
        assertEquals(List.of("cq04130006"),
                mock.admin("GET", "members?app_id=" + APP + "&account_id=pub-2", null).getJSONArray("user_names").toList());
        assertEquals(List.of("cq04130006"), client.publicAccountUsers(APP, "pub-2").map(AccountUser::userName).toList());
    }

    @Test
    void membersOfAnUnknownPublicAccountIsAppAccount0038() {
        Expect.error(EiamException.Api.class, "APP.ACCOUNT.0038", 400,
                () -> client.addPublicAccountUsers(APP, "no-such-account", List.of("zhangsan")));
        Expect.error(EiamException.Api.class, "APP.ACCOUNT.0038", 400,
                () -> client.listPublicAccountUsers(APP, "no-such-account", 0, 10));
    }

    @Test
    void anEmptyMemberListIsRefusedByTheLibrary() {
        long before = mock.requests();
        EiamException e = org.junit.jupiter.api.Assertions.assertThrows(EiamException.InvalidArgument.class,
                () -> client.removePublicAccountUsers(APP, "pub-1", List.of()));
        assertNotNull(e.detail());
        assertEquals(before, mock.requests());
    }

    @Test
    void pageSizesOutOfRangeAreOapPage0002BeforeAnyRequest() {
        long before = mock.requests();
        Expect.error(EiamException.InvalidArgument.class, "OAP.PAGE.0002", 0, () -> client.listAccounts(APP, null, 0, 9));
        Expect.error(EiamException.InvalidArgument.class, "OAP.PAGE.0002", 0, () -> client.listAccounts(APP, null, 0, 101));
        Expect.error(EiamException.InvalidArgument.class, "OAP.PAGE.0002", 0,
                () -> client.listPublicAccountUsers(APP, "pub-1", 0, 0));
        Expect.error(EiamException.InvalidArgument.class, "OAP.PAGE.0002", 0,
                () -> client.accounts(APP, null, 5).findFirst());
        assertEquals(before, mock.requests());
    }

    @Test
    void listAccountsOfOneType() {
        client.createOrphanAccount(APP, "orphan-x", null);
        Page<Account> publics = client.listAccounts(APP, "PUBLIC_ACCOUNT", 0, 100);
        assertEquals(List.of("pub-1", "pub-2"), publics.items().stream().map(Account::id).sorted().toList());
        assertEquals(2, publics.total());
        assertEquals(3, client.listAccounts(APP, "", 0, 100).total());
        assertEquals(1, client.accounts(APP, "ORPHAN_ACCOUNT").count());
    }

    @Test
    void rawRequestSendsJsonTextAndReturnsIt() {
        String json = client.request("GET", "/api/v2/tenant/applications/" + APP + "/accounts",
                List.of(QueryParam.of("account_type", "PUBLIC_ACCOUNT"), QueryParam.of("offset", "0"),
                        QueryParam.of("limit", "10")), null, Idempotency.IDEMPOTENT);
        assertEquals(2, new JSONObject(json).getLong("total"), json);
        String bound = client.request("POST", "/api/v2/tenant/applications/" + APP + "/accounts/public-account/pub-2/owner",
                "{\"user_name\":\"lisi\"}");
        assertNotNull(bound);
        assertEquals("lisi", mock.ownerOf(APP, "pub-2"));
        Expect.error(EiamException.Api.class, "APP.0001", 400,
                () -> client.request("GET", "/api/v2/tenant/applications/no-such-app/accounts", List.of(), null,
                        Idempotency.NOT_IDEMPOTENT));
    }
}
