package io.github.eiam;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A client of one tenant, over libeiam's {@code eiam_client}. One client may
 * be shared by any number of threads; calls block until the library answers
 * (the deadline is the config's timeout, token fetch and retries included).
 *
 * <p>Arguments: a required argument that is null is a
 * NullPointerException naming it (the optional ones say so); a string with
 * an embedded NUL or a lone surrogate is refused with
 * {@link EiamException.InvalidArgument} naming it, before anything is sent.
 * Every other check (empty ids, page sizes, account types) is the
 * library's, with the service's codes.
 *
 * <p>Memory: each call allocates its C arguments in a confined Arena freed
 * when it returns, and frees what the library returns exactly once with the
 * library's own functions. {@link #close()} frees the C client (waiting for
 * calls in flight); a client never closed is freed by a Cleaner once
 * unreachable. Do not close a client from a {@link Progress} callback of
 * one of its own calls: close waits for that call.
 *
 * <p>Async: every call but the streams has a form named {@code ...Async}
 * that returns a {@link CompletableFuture} at once and runs the call on one
 * of the client's platform threads ({@link Config.Builder#asyncThreads}).
 * Errors complete the future exceptionally with the same exceptions.
 * {@code future.cancel(true)} completes it with CancellationException at
 * once and cancels the C call through a cancel token of its own, which
 * ends within a few tens of ms (a request already sent may still take
 * effect); a call cancelled before its thread starts it sends nothing.
 * Cancelling a future derived from it ({@code thenApply}, ...) does not
 * reach the call. {@link #close()} does not wait for async calls: the
 * running ones finish, those not yet started fail with IllegalStateException.
 */
public final class Client implements AutoCloseable {
    /** The page size of {@link #accounts} and {@link #publicAccountUsers} unless told otherwise (EIAM_DEFAULT_PAGE_SIZE). */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** A bulk job's concurrency that means the library's default (EIAM_DEFAULT_CONCURRENCY workers). */
    public static final int DEFAULT_CONCURRENCY = 0;

    private static final Cleaner CLEANER = Cleaner.create();

    private final ClientHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final ThreadPoolExecutor asyncThreads; // null in a view
    private final AtomicInteger asyncCallsRunning = new AtomicInteger();

    /** Checks {@code config} (the library does) and makes the client. Nothing is sent yet. */
    public Client(Config config) {
        Objects.requireNonNull(config, "config");
        ClientHandle h = new ClientHandle(newClient(config));
        ThreadPoolExecutor pool = AsyncThreads.pool(config.asyncThreads());
        this.handle = h;
        this.asyncThreads = pool;
        this.cleanable = CLEANER.register(this, () -> { // must not refer to this
            pool.shutdown();
            h.run();
        });
    }

    /** A view of another client ({@code eiam_client_with_cancel}): a C client of its own, with no threads. */
    private Client(MemorySegment view) {
        this.handle = new ClientHandle(view);
        this.asyncThreads = null;
        this.cleanable = CLEANER.register(this, handle);
    }

    private static MemorySegment newClient(Config config) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cfg = (MemorySegment) Native.eiam_config_new.invokeExact();
            if (cfg.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("eiam_config_new");
            }
            try {
                config.applyTo(cfg, arena);
                MemorySegment out = arena.allocate(ADDRESS);
                Calls.check(arena, err -> (int) Native.eiam_client_new.invokeExact(cfg, out, err));
                return out.get(ADDRESS, 0);
            } finally {
                Calls.release(Native.eiam_config_free, cfg);
            }
        } catch (Throwable t) {
            throw Calls.unexpected(t);
        }
    }

    /** The library's version, e.g. {@code "0.1.0"}. */
    public static String version() {
        try {
            return CStrings.read((MemorySegment) Native.eiam_version.invokeExact());
        } catch (Throwable t) {
            throw Calls.unexpected(t);
        }
    }

    /**
     * Fetches an access token now (or reuses the cached one), so that bad
     * credentials fail here rather than at the first call. With a static access
     * token there is nothing to check and it returns at once.
     *
     * <p>Errors: {@link Status#AUTH_ERROR} when the token endpoint refuses the
     * client id and secret; {@link Status#TRANSPORT_ERROR} or {@link
     * Status#TIMEOUT} when it cannot be reached in time.
     *
     * <p>Example:
     * <pre>{@code
     * client.authenticate();
     * }</pre>
     */
    public void authenticate() {
        call((c, arena) -> {
            Calls.check(arena, err -> (int) Native.eiam_client_authenticate.invokeExact(c, err));
            return null;
        });
    }

    // ------------------------------------------------------------ owners

    /**
     * Makes {@code userName} the owner of public account {@code appUserId} of
     * application {@code appId}, replacing any previous owner, and returns the
     * public account's account id. Binding the same owner again is harmless, so
     * the call is retried like a read.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code appId}
     * ({@code APP.0006}) or {@code appUserId} ({@code APP.ACCOUNT.0047}),
     * before anything is sent; {@link Status#API_ERROR} with {@code APP.0001}
     * (no such application) or {@code APP.ACCOUNT.0038} (no such public
     * account).
     *
     * <p>Example:
     * <pre>{@code
     * assertEquals("pub-2", client.bindPublicAccountOwner("demo-app", "pub-2", "zhangsan"));
     * }</pre>
     */
    public String bindPublicAccountOwner(String appId, String appUserId, String userName) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment u = str(arena, "appUserId", appUserId);
            MemorySegment n = str(arena, "userName", userName);
            return Calls.checkString(arena,
                    (out, err) -> (int) Native.eiam_bind_public_account_owner.invokeExact(c, a, u, n, out, err));
        });
    }

    /**
     * Returns the owner of public account {@code appUserId} of application
     * {@code appId}: the user's id and name and whether the user is disabled.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code appId}
     * ({@code APP.0006}) or {@code appUserId} ({@code APP.ACCOUNT.0047}),
     * before anything is sent; {@link Status#API_ERROR} with {@code
     * APP.ACCOUNT.0038} (no such public account) or {@code APP.ACCOUNT.0037}
     * (the account has no owner).
     *
     * <p>Example:
     * <pre>{@code
     * assertEquals("zhangsan", client.getPublicAccountOwner("demo-app", "pub-1").userName());
     * }</pre>
     */
    public Owner getPublicAccountOwner(String appId, String appUserId) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment u = str(arena, "appUserId", appUserId);
            MemorySegment owner = arena.allocate(Layouts.OWNER);
            try {
                Calls.check(arena, err -> (int) Native.eiam_get_public_account_owner.invokeExact(c, a, u, owner, err));
                return Decode.owner(owner);
            } finally {
                Calls.release(Native.eiam_owner_clear, owner);
            }
        });
    }

    /** {@link #bindPublicAccountOwners(List, int, Progress)} with the library's concurrency and no callback. */
    public List<BindResult> bindPublicAccountOwners(List<BindItem> items) {
        return bindPublicAccountOwners(items, DEFAULT_CONCURRENCY, null);
    }

    /**
     * Binds the owner of every item (an {@code appId}, {@code appUserId} and
     * {@code userName}) with at most {@code concurrency} calls in flight (the
     * library's default is 8, the most 64) and returns one result per item, in
     * input order: the account id, or the item's own error. One item's failure
     * never stops the others.
     *
     * <p>Errors: Each item's result carries the errors of {@code
     * bindPublicAccountOwner}; items not started when the job is cancelled fail
     * with {@link Status#CANCELLED}.
     *
     * <p>{@link #DEFAULT_CONCURRENCY} is the library's default; {@code progress}
     * may be null.
     *
     * <p>Example:
     * <pre>{@code
     * List<BindResult> results = client.bindPublicAccountOwners(List.of(
     *         new BindItem("demo-app", "pub-1", "cq04130006"),
     *         new BindItem("demo-app", "no-such", "lisi")));
     * assertEquals("pub-1", results.get(0).accountId());
     * assertEquals("APP.ACCOUNT.0038", results.get(1).error().code());
     * }</pre>
     */
    public List<BindResult> bindPublicAccountOwners(List<BindItem> items, int concurrency, Progress progress) {
        Objects.requireNonNull(items, "items");
        int workers = Unsigned.u32("concurrency", concurrency);
        ProgressStub stub = progress == null ? null : new ProgressStub(progress);
        List<BindResult> results = call((c, arena) -> {
            int n = items.size();
            MemorySegment cItems = arena.allocate(Layouts.BIND_ITEM, n);
            for (int i = 0; i < n; i++) {
                BindItem item = Objects.requireNonNull(items.get(i), "items[" + i + "]");
                MemorySegment slot = element(cItems, Layouts.BIND_ITEM, i);
                slot.set(ADDRESS, Layouts.BIND_ITEM_APP_ID, str(arena, "items[" + i + "].appId", item.appId()));
                slot.set(ADDRESS, Layouts.BIND_ITEM_APP_USER_ID, str(arena, "items[" + i + "].appUserId", item.appUserId()));
                slot.set(ADDRESS, Layouts.BIND_ITEM_USER_NAME, str(arena, "items[" + i + "].userName", item.userName()));
            }
            MemorySegment callback = ProgressStub.pointer(stub, arena);
            MemorySegment out = arena.allocate(Layouts.BIND_RESULT, Math.max(n, 1));
            try {
                Calls.check(arena, err -> (int) Native.eiam_bind_public_account_owners.invokeExact(
                        c, cItems, (long) n, workers, callback, MemorySegment.NULL, out, err));
                List<BindResult> decoded = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    decoded.add(bindResult(element(out, Layouts.BIND_RESULT, i)));
                }
                return decoded;
            } finally {
                try {
                    Native.eiam_bind_results_clear.invokeExact(out, (long) n);
                } catch (Throwable t) {
                    throw Calls.unexpected(t);
                }
            }
        });
        if (stub != null) {
            stub.rethrow();
        }
        return results;
    }

    private static BindResult bindResult(MemorySegment result) {
        MemorySegment err = result.asSlice(Layouts.BIND_RESULT_ERROR, Layouts.ERROR);
        int status = Calls.status(err);
        if (status == Status.OK.number()) {
            return new BindResult(CStrings.read(result.get(ADDRESS, Layouts.BIND_RESULT_ACCOUNT_ID)), null);
        }
        return new BindResult(null, Calls.exception(err, status));
    }

    // ------------------------------------------------------------ creating accounts

    /**
     * Creates a public (shared) account named {@code accountName} in
     * application {@code appId}, with the optional fields given, and returns
     * its account id. It is not retried once the request may have reached the
     * service: a second create would make a second account.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code appId}
     * ({@code APP.0006}) or {@code accountName} ({@code APP.ACCOUNT.0001}),
     * before anything is sent; {@link Status#API_ERROR} with {@code APP.0001}
     * (no such application) or {@code APP.ORG.0024} (no such organization
     * code); {@link Status#TRANSPORT_ERROR} or {@link Status#TIMEOUT} when the
     * answer was lost, and then the account may exist (list the accounts to
     * find out).
     *
     * <p>{@code fields} may be null.
     *
     * <p>Example:
     * <pre>{@code
     * String id = client.createPublicAccount("demo-app", "shared-mailbox", null);
     * assertEquals("PUBLIC_ACCOUNT", client.getAccount("demo-app", id).accountType());
     * }</pre>
     */
    public String createPublicAccount(String appId, String accountName, AccountFields fields) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment n = str(arena, "accountName", accountName);
            MemorySegment f = AccountFields.toC(arena, fields);
            return Calls.checkString(arena,
                    (out, err) -> (int) Native.eiam_create_public_account.invokeExact(c, a, n, f, out, err));
        });
    }

    /**
     * Creates a compliance (basic) account of user {@code userId} in
     * application {@code appId}, with the optional fields given, and returns
     * its account id. Without an {@code accountName} the service names it after
     * the user. Retried as {@code createPublicAccount} is.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code appId}
     * ({@code APP.0006}) or {@code userId}, before anything is sent; {@link
     * Status#API_ERROR} with {@code APP.0001} (no such application), {@code
     * USER.0001} (no such user) or {@code APP.ORG.0024} (no such organization
     * code); {@link Status#TRANSPORT_ERROR} or {@link Status#TIMEOUT} when the
     * answer was lost, and then the account may exist.
     *
     * <p>{@code accountName} may be null (the service names the account after the
     * user), and so may {@code fields}.
     *
     * <p>Example:
     * <pre>{@code
     * String userId = "20220331164602949-904C-D475B60AE"; // zhangsan
     * String id = client.createBasicAccount("demo-app", userId, null, null);
     * assertEquals("zhangsan", client.getAccount("demo-app", id).accountName());
     * }</pre>
     */
    public String createBasicAccount(String appId, String userId, String accountName, AccountFields fields) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment u = str(arena, "userId", userId);
            MemorySegment n = CStrings.optional(arena, "accountName", accountName);
            MemorySegment f = AccountFields.toC(arena, fields);
            return Calls.checkString(arena,
                    (out, err) -> (int) Native.eiam_create_basic_account.invokeExact(c, a, u, n, f, out, err));
        });
    }

    /**
     * Creates an orphan account (one with no user) named {@code accountName} in
     * application {@code appId}, with the optional fields given, and returns
     * its account id. Retried as {@code createPublicAccount} is.
     *
     * <p>Errors: As {@code createPublicAccount}: {@link Status#INVALID_ARGUMENT}
     * for an empty {@code appId} or {@code accountName}; {@link
     * Status#API_ERROR} with {@code APP.0001} or {@code APP.ORG.0024}; {@link
     * Status#TRANSPORT_ERROR} or {@link Status#TIMEOUT} when the answer was
     * lost, and then the account may exist.
     *
     * <p>{@code fields} may be null.
     *
     * <p>Example:
     * <pre>{@code
     * AccountFields fields = AccountFields.builder().name("Build bot").build();
     * String id = client.createOrphanAccount("demo-app", "build-bot", fields);
     * assertEquals("Build bot", client.getAccount("demo-app", id).name());
     * }</pre>
     */
    public String createOrphanAccount(String appId, String accountName, AccountFields fields) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment n = str(arena, "accountName", accountName);
            MemorySegment f = AccountFields.toC(arena, fields);
            return Calls.checkString(arena,
                    (out, err) -> (int) Native.eiam_create_orphan_account.invokeExact(c, a, n, f, out, err));
        });
    }

    // ------------------------------------------------------------ members of public accounts

    /**
     * Gives the users named {@code userNames} access to public account {@code
     * appUserId} of application {@code appId} and returns the account's id.
     * Adding a member again is harmless, so the call is retried like a read.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code userNames},
     * an empty name in it, or an empty {@code appId} or {@code appUserId},
     * before anything is sent; {@link Status#API_ERROR} with {@code APP.0001}
     * (no such application) or {@code APP.ACCOUNT.0038} (no such public
     * account).
     *
     * <p>Example:
     * <pre>{@code
     * assertEquals("pub-2", client.addPublicAccountUsers("demo-app", "pub-2", List.of("zhangsan", "lisi")));
     * }</pre>
     */
    public String addPublicAccountUsers(String appId, String appUserId, List<String> userNames) {
        return changeMembers(Native.eiam_add_public_account_users, appId, appUserId, userNames);
    }

    /**
     * Takes access to public account {@code appUserId} of application {@code
     * appId} away from the users named {@code userNames} and returns the
     * account's id. Retried like a read, as {@code addPublicAccountUsers} is.
     *
     * <p>Errors: As {@code addPublicAccountUsers}: {@link Status#INVALID_ARGUMENT}
     * for an empty {@code userNames} or id; {@link Status#API_ERROR} with
     * {@code APP.0001} or {@code APP.ACCOUNT.0038}.
     *
     * <p>Example:
     * <pre>{@code
     * assertEquals("pub-1", client.removePublicAccountUsers("demo-app", "pub-1", List.of("cq04130006")));
     * }</pre>
     */
    public String removePublicAccountUsers(String appId, String appUserId, List<String> userNames) {
        return changeMembers(Native.eiam_remove_public_account_users, appId, appUserId, userNames);
    }

    /**
     * Returns one page of the members of public account {@code appUserId} of
     * application {@code appId}: page {@code page} (from 0) of {@code pageSize}
     * users (10 to 100), with the list's total.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for a {@code pageSize} outside 10
     * to 100 or an empty id, before anything is sent; {@link Status#API_ERROR}
     * with {@code APP.ACCOUNT.0038} (no such public account).
     *
     * <p>Example:
     * <pre>{@code
     * assertEquals(2, client.listPublicAccountUsers("demo-app", "pub-1", 0, 10).total());
     * }</pre>
     */
    public Page<AccountUser> listPublicAccountUsers(String appId, String appUserId, int page, int pageSize) {
        int p = Unsigned.u32("page", page);
        int size = Unsigned.u32("pageSize", pageSize);
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment u = str(arena, "appUserId", appUserId);
            return PageKind.ACCOUNT_USERS.read(arena, out -> Calls.check(arena, err ->
                    (int) Native.eiam_list_public_account_users.invokeExact(c, a, u, p, size, out, err)));
        });
    }

    /** {@link #publicAccountUsers(String, String, int)} a page of {@link #DEFAULT_PAGE_SIZE} at a time. */
    public Stream<AccountUser> publicAccountUsers(String appId, String appUserId) {
        return publicAccountUsers(appId, appUserId, DEFAULT_PAGE_SIZE);
    }

    /**
     * Walks every member of public account {@code appUserId} of application
     * {@code appId}, fetching a page of {@code pageSize} users when it is
     * needed. The walk stops after the list's total or at an empty page.
     *
     * <p>Errors: Each step fails as {@code listPublicAccountUsers} does, and with
     * {@link Status#PROTOCOL_ERROR} when the service repeats a page (a walk
     * that would never end).
     *
     * <p>The stream fetches a page at a time as it is consumed. Close it
     * (try-with-resources) if you may stop early; a stream consumed to its end
     * is closed already.
     *
     * <p>Example:
     * <pre>{@code
     * try (Stream<AccountUser> users = client.publicAccountUsers("demo-app", "pub-1")) {
     *     assertEquals(List.of("zhangsan", "cq04130006"), users.map(AccountUser::userName).toList());
     * }
     * }</pre>
     */
    public Stream<AccountUser> publicAccountUsers(String appId, String appUserId, int pageSize) {
        int size = Unsigned.u32("pageSize", pageSize);
        return pager(PageKind.ACCOUNT_USERS, (c, arena, out, err) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment u = str(arena, "appUserId", appUserId);
            return (int) Native.eiam_account_user_pager_new.invokeExact(c, a, u, size, out, err);
        });
    }

    /** {@code eiam_add_public_account_users} or {@code eiam_remove_public_account_users}: the same arguments. */
    private String changeMembers(MethodHandle change, String appId, String appUserId,
            List<String> userNames) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment u = str(arena, "appUserId", appUserId);
            MemorySegment names = stringArray(arena, "userNames", userNames);
            long n = userNames.size();
            return Calls.checkString(arena, (out, err) -> (int) change.invokeExact(c, a, u, names, n, out, err));
        });
    }

    // ------------------------------------------------------------ accounts

    /**
     * Returns account {@code accountId} of application {@code appId}: its
     * names, type, organization, state and custom attributes ({@code
     * extension}).
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code appId}
     * ({@code APP.0006}) or {@code accountId} ({@code APP.ACCOUNT.0047}),
     * before anything is sent; {@link Status#API_ERROR} with {@code
     * APP.ACCOUNT.0028} (no such account).
     *
     * <p>Example:
     * <pre>{@code
     * assertEquals("PUBLIC_ACCOUNT", client.getAccount("demo-app", "pub-1").accountType());
     * }</pre>
     */
    public Account getAccount(String appId, String accountId) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment id = str(arena, "accountId", accountId);
            MemorySegment account = arena.allocate(Layouts.ACCOUNT);
            try {
                Calls.check(arena, err -> (int) Native.eiam_get_account.invokeExact(c, a, id, account, err));
                return Decode.account(account);
            } finally {
                Calls.release(Native.eiam_account_clear, account);
            }
        });
    }

    /**
     * Returns one page of the accounts of application {@code appId}, of one
     * {@code accountType} ({@code BASIC_ACCOUNT}, {@code ORPHAN_ACCOUNT},
     * {@code PUBLIC_ACCOUNT}) or of every type: page {@code page} (from 0) of
     * {@code pageSize} accounts (10 to 100), with the list's total.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for a {@code pageSize} outside 10
     * to 100, an empty {@code appId}, or an unknown {@code accountType} ({@code
     * APP.ACCOUNT.0045}), before anything is sent; {@link Status#API_ERROR}
     * with {@code APP.0001} (no such application).
     *
     * <p>{@code accountType} null or empty means every type.
     *
     * <p>Example:
     * <pre>{@code
     * Page<Account> page = client.listAccounts("paging-app", "ORPHAN_ACCOUNT", 0, 10);
     * assertEquals(83, page.total());
     * assertEquals(10, page.items().size());
     * }</pre>
     */
    public Page<Account> listAccounts(String appId, String accountType, int page, int pageSize) {
        int p = Unsigned.u32("page", page);
        int size = Unsigned.u32("pageSize", pageSize);
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment t = CStrings.optional(arena, "accountType", accountType);
            return PageKind.ACCOUNTS.read(arena, out -> Calls.check(arena, err ->
                    (int) Native.eiam_list_accounts.invokeExact(c, a, t, p, size, out, err)));
        });
    }

    /** {@link #accounts(String, String, int)} a page of {@link #DEFAULT_PAGE_SIZE} at a time. */
    public Stream<Account> accounts(String appId, String accountType) {
        return accounts(appId, accountType, DEFAULT_PAGE_SIZE);
    }

    /**
     * Walks every account of application {@code appId} (of one {@code
     * accountType}, or of every type), fetching a page of {@code pageSize}
     * accounts when it is needed. The walk stops after the list's total or at
     * an empty page.
     *
     * <p>Errors: Each step fails as {@code listAccounts} does, and with {@link
     * Status#PROTOCOL_ERROR} when the service repeats a page (a walk that would
     * never end).
     *
     * <p>{@code accountType} null or empty means every type; the stream is as
     * {@link #publicAccountUsers(String, String, int)}'s.
     *
     * <p>Example:
     * <pre>{@code
     * try (Stream<Account> accounts = client.accounts("paging-app", null)) {
     *     assertEquals(250, accounts.count());
     * }
     * }</pre>
     */
    public Stream<Account> accounts(String appId, String accountType, int pageSize) {
        int size = Unsigned.u32("pageSize", pageSize);
        return pager(PageKind.ACCOUNTS, (c, arena, out, err) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment t = CStrings.optional(arena, "accountType", accountType);
            return (int) Native.eiam_account_pager_new.invokeExact(c, a, t, size, out, err);
        });
    }

    /**
     * Updates account {@code accountId} of application {@code appId}: {@code
     * accountName} (which the service requires) and the optional fields given;
     * the others stay as they are. Returns the account's id. Retried like a
     * read (the same update twice leaves the same account).
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code appId},
     * {@code accountId} or {@code accountName}, before anything is sent; {@link
     * Status#API_ERROR} with {@code APP.0001} (no such application), {@code
     * APP.ACCOUNT.0028} (no such account) or {@code APP.ORG.0024} (no such
     * organization code).
     *
     * <p>{@code fields} may be null.
     *
     * <p>Example:
     * <pre>{@code
     * client.updateAccount("demo-app", "pub-1", "pub-1", AccountFields.builder().name("Team mailbox").build());
     * assertEquals("Team mailbox", client.getAccount("demo-app", "pub-1").name());
     * }</pre>
     */
    public String updateAccount(String appId, String accountId, String accountName, AccountFields fields) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment id = str(arena, "accountId", accountId);
            MemorySegment n = str(arena, "accountName", accountName);
            MemorySegment f = AccountFields.toC(arena, fields);
            return Calls.checkString(arena,
                    (out, err) -> (int) Native.eiam_update_account.invokeExact(c, a, id, n, f, out, err));
        });
    }

    /**
     * Disables account {@code accountId} of application {@code appId} and
     * returns its id. Retried like a read.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code appId} or
     * {@code accountId}, before anything is sent; {@link Status#API_ERROR} with
     * {@code APP.ACCOUNT.0028} (no such account).
     *
     * <p>Example:
     * <pre>{@code
     * client.disableAccount("demo-app", "pub-1");
     * assertTrue(client.getAccount("demo-app", "pub-1").disabled());
     * }</pre>
     */
    public String disableAccount(String appId, String accountId) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment id = str(arena, "accountId", accountId);
            return Calls.checkString(arena, (out, err) -> (int) Native.eiam_disable_account.invokeExact(c, a, id, out, err));
        });
    }

    /**
     * Enables account {@code accountId} of application {@code appId} and
     * returns its id. Retried like a read.
     *
     * <p>Errors: As {@code disableAccount}: {@link Status#INVALID_ARGUMENT} for an
     * empty id; {@link Status#API_ERROR} with {@code APP.ACCOUNT.0028} (no such
     * account).
     *
     * <p>Example:
     * <pre>{@code
     * assertEquals("pub-1", client.enableAccount("demo-app", "pub-1"));
     * }</pre>
     */
    public String enableAccount(String appId, String accountId) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment id = str(arena, "accountId", accountId);
            return Calls.checkString(arena, (out, err) -> (int) Native.eiam_enable_account.invokeExact(c, a, id, out, err));
        });
    }

    /**
     * Deletes account {@code accountId} (of any type) of application {@code
     * appId}. Retried like a read: when an earlier attempt's answer was lost
     * and the retry finds no such account, that attempt deleted it and the call
     * succeeds.
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an empty {@code appId} or
     * {@code accountId}, before anything is sent; {@link Status#API_ERROR} with
     * {@code APP.0001} (no such application) or {@code APP.ACCOUNT.0028} (no
     * such account).
     *
     * <p>Example:
     * <pre>{@code
     * client.deleteAccount("demo-app", "pub-2");
     * EiamException e = assertThrows(EiamException.Api.class, () -> client.getAccount("demo-app", "pub-2"));
     * assertEquals("APP.ACCOUNT.0028", e.code());
     * }</pre>
     */
    public void deleteAccount(String appId, String accountId) {
        call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment id = str(arena, "accountId", accountId);
            Calls.check(arena, err -> (int) Native.eiam_delete_account.invokeExact(c, a, id, err));
            return null;
        });
    }

    // ------------------------------------------------------------ raw requests

    /**
     * Sends any management API request: {@code method} to {@code path}
     * (relative to the base URL, starting with {@code /api/}, sent as given)
     * with {@code query} pairs (encoded) and an optional JSON body, with the
     * client's token, deadline, retries and errors. Returns the answer's JSON,
     * or nothing for an empty answer. It is retried as a typed call is when
     * {@code idempotent} says so (by default GET, PUT and DELETE are; POST and
     * PATCH only when they certainly did not arrive).
     *
     * <p>Errors: {@link Status#INVALID_ARGUMENT} for an unknown {@code method} or
     * a {@code path} not under {@code /api/}, before anything is sent; {@link
     * Status#API_ERROR} with the service's code for an error answer (the values
     * of {@code password} keys in the body are redacted from it); {@link
     * Status#PROTOCOL_ERROR} for an answer that is not JSON.
     *
     * <p>{@code jsonBody} is JSON text, or null for no body; the answer is JSON
     * text, or null when it had no body.
     *
     * <p>Example:
     * <pre>{@code
     * String answer = client.request("GET", "/api/v2/tenant/applications/demo-app/accounts/pub-1", null);
     * assertTrue(answer.contains("PUBLIC_ACCOUNT"));
     * }</pre>
     */
    public String request(String method, String path, List<QueryParam> query, String jsonBody, Idempotency idempotency) {
        Objects.requireNonNull(query, "query");
        int idempotent = Objects.requireNonNull(idempotency, "idempotency").cBool;
        return call((c, arena) -> {
            MemorySegment m = str(arena, "method", method);
            MemorySegment p = str(arena, "path", path);
            int n = query.size();
            MemorySegment q = arena.allocate(Layouts.QUERY_PARAM, Math.max(n, 1));
            for (int i = 0; i < n; i++) {
                QueryParam param = Objects.requireNonNull(query.get(i), "query[" + i + "]");
                MemorySegment slot = element(q, Layouts.QUERY_PARAM, i);
                slot.set(ADDRESS, Layouts.QUERY_PARAM_NAME, str(arena, "query[" + i + "].name", param.name()));
                slot.set(ADDRESS, Layouts.QUERY_PARAM_VALUE, str(arena, "query[" + i + "].value", param.value()));
            }
            MemorySegment body = CStrings.optional(arena, "jsonBody", jsonBody);
            return Calls.checkString(arena, (out, err) ->
                    (int) Native.eiam_request.invokeExact(c, m, p, q, (long) n, body, idempotent, out, err));
        });
    }

    /** {@link #request(String, String, List, String, Idempotency)} with no query, retried as its method says. */
    public String request(String method, String path, String jsonBody) {
        return request(method, path, List.of(), jsonBody, Idempotency.BY_METHOD);
    }

    // ------------------------------------------------------------ async forms

    /** {@link #authenticate()} on the client's threads. */
    public CompletableFuture<Void> authenticateAsync() {
        return async(c -> {
            c.authenticate();
            return null;
        });
    }

    /** {@link #bindPublicAccountOwner} on the client's threads. */
    public CompletableFuture<String> bindPublicAccountOwnerAsync(String appId, String appUserId, String userName) {
        return async(c -> c.bindPublicAccountOwner(appId, appUserId, userName));
    }

    /** {@link #getPublicAccountOwner} on the client's threads. */
    public CompletableFuture<Owner> getPublicAccountOwnerAsync(String appId, String appUserId) {
        return async(c -> c.getPublicAccountOwner(appId, appUserId));
    }

    /** {@link #bindPublicAccountOwners(List)} on the client's threads; {@code items} is copied now. */
    public CompletableFuture<List<BindResult>> bindPublicAccountOwnersAsync(List<BindItem> items) {
        return bindPublicAccountOwnersAsync(items, DEFAULT_CONCURRENCY, null);
    }

    /**
     * {@link #bindPublicAccountOwners(List, int, Progress)} on the client's
     * threads; {@code items} is copied now. Cancelling stops the binds not
     * yet started (the future says nothing of those done).
     */
    public CompletableFuture<List<BindResult>> bindPublicAccountOwnersAsync(List<BindItem> items, int concurrency,
            Progress progress) {
        List<BindItem> copy = copyOf(items);
        return async(c -> c.bindPublicAccountOwners(copy, concurrency, progress));
    }

    /** {@link #createPublicAccount} on the client's threads. */
    public CompletableFuture<String> createPublicAccountAsync(String appId, String accountName, AccountFields fields) {
        return async(c -> c.createPublicAccount(appId, accountName, fields));
    }

    /** {@link #createBasicAccount} on the client's threads. */
    public CompletableFuture<String> createBasicAccountAsync(String appId, String userId, String accountName,
            AccountFields fields) {
        return async(c -> c.createBasicAccount(appId, userId, accountName, fields));
    }

    /** {@link #createOrphanAccount} on the client's threads. */
    public CompletableFuture<String> createOrphanAccountAsync(String appId, String accountName, AccountFields fields) {
        return async(c -> c.createOrphanAccount(appId, accountName, fields));
    }

    /** {@link #addPublicAccountUsers} on the client's threads; {@code userNames} is copied now. */
    public CompletableFuture<String> addPublicAccountUsersAsync(String appId, String appUserId, List<String> userNames) {
        List<String> copy = copyOf(userNames);
        return async(c -> c.addPublicAccountUsers(appId, appUserId, copy));
    }

    /** {@link #removePublicAccountUsers} on the client's threads; {@code userNames} is copied now. */
    public CompletableFuture<String> removePublicAccountUsersAsync(String appId, String appUserId,
            List<String> userNames) {
        List<String> copy = copyOf(userNames);
        return async(c -> c.removePublicAccountUsers(appId, appUserId, copy));
    }

    /** {@link #listPublicAccountUsers} on the client's threads. */
    public CompletableFuture<Page<AccountUser>> listPublicAccountUsersAsync(String appId, String appUserId, int page,
            int pageSize) {
        return async(c -> c.listPublicAccountUsers(appId, appUserId, page, pageSize));
    }

    /** {@link #getAccount} on the client's threads. */
    public CompletableFuture<Account> getAccountAsync(String appId, String accountId) {
        return async(c -> c.getAccount(appId, accountId));
    }

    /** {@link #listAccounts} on the client's threads. */
    public CompletableFuture<Page<Account>> listAccountsAsync(String appId, String accountType, int page, int pageSize) {
        return async(c -> c.listAccounts(appId, accountType, page, pageSize));
    }

    /** {@link #updateAccount} on the client's threads. */
    public CompletableFuture<String> updateAccountAsync(String appId, String accountId, String accountName,
            AccountFields fields) {
        return async(c -> c.updateAccount(appId, accountId, accountName, fields));
    }

    /** {@link #disableAccount} on the client's threads. */
    public CompletableFuture<String> disableAccountAsync(String appId, String accountId) {
        return async(c -> c.disableAccount(appId, accountId));
    }

    /** {@link #enableAccount} on the client's threads. */
    public CompletableFuture<String> enableAccountAsync(String appId, String accountId) {
        return async(c -> c.enableAccount(appId, accountId));
    }

    /** {@link #deleteAccount} on the client's threads. */
    public CompletableFuture<Void> deleteAccountAsync(String appId, String accountId) {
        return async(c -> {
            c.deleteAccount(appId, accountId);
            return null;
        });
    }

    /** {@link #request(String, String, List, String, Idempotency)} on the client's threads; {@code query} is copied now. */
    public CompletableFuture<String> requestAsync(String method, String path, List<QueryParam> query, String jsonBody,
            Idempotency idempotency) {
        List<QueryParam> copy = copyOf(query);
        return async(c -> c.request(method, path, copy, jsonBody, idempotency));
    }

    /** {@link #request(String, String, String)} on the client's threads. */
    public CompletableFuture<String> requestAsync(String method, String path, String jsonBody) {
        return async(c -> c.request(method, path, jsonBody));
    }

    /** Starts {@code work} on the client's threads, given a view that the future's cancel ends. */
    private <T> CompletableFuture<T> async(Function<Client, T> work) {
        AsyncCall<T> call = new AsyncCall<>(this, work, asyncCallsRunning);
        try {
            asyncThreads.execute(call);
        } catch (RejectedExecutionException e) {
            call.completeExceptionally(new IllegalStateException("eiam client is closed", e));
        }
        return call;
    }

    /** A view of this client whose calls {@code token} ends; the caller closes it. */
    Client withCancel(CancelToken token) {
        MemorySegment view = call((c, arena) -> {
            MemorySegment out = arena.allocate(ADDRESS);
            Calls.check(arena, err -> (int) Native.eiam_client_with_cancel.invokeExact(c, token.segment(), out, err));
            return out.get(ADDRESS, 0);
        });
        return new Client(view);
    }

    /** How many async calls are on a thread now, their C call included: for the tests. */
    int asyncCallsRunning() {
        return asyncCallsRunning.get();
    }

    /** A copy taken when an async call is made, so that the caller may change the list; null stays null (the call names it). */
    private static <T> List<T> copyOf(List<T> list) {
        return list == null ? null : new ArrayList<>(list);
    }

    // ------------------------------------------------------------ lifetime

    /**
     * Frees the client after the calls in flight, and the pagers it made, and
     * lets its async threads end (see the class comment). Idempotent; later
     * calls throw IllegalStateException.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** How many pagers (streams) of this client are not freed yet: for the tests. */
    int openPagers() {
        return handle.openPagers();
    }

    // ------------------------------------------------------------ plumbing

    /** The body of a call: its C arguments go in {@code arena}, freed when it returns. */
    @FunctionalInterface
    private interface Body<T> {
        T run(MemorySegment client, Arena arena);
    }

    /** Runs {@code body} with the C client held (so close waits for it) and a fresh confined Arena. */
    private <T> T call(Body<T> body) {
        MemorySegment c = handle.enter();
        try (Arena arena = Arena.ofConfined()) {
            return body.run(c, arena);
        } finally {
            handle.leave();
            Reference.reachabilityFence(this); // the Cleaner must not free the client mid-call
        }
    }

    /** A {@code *_pager_new} call: fills the {@code out} pager slot. */
    @FunctionalInterface
    private interface PagerNew {
        int call(MemorySegment client, Arena arena, MemorySegment out, MemorySegment err) throws Throwable;
    }

    private <T> Stream<T> pager(PageKind<T> kind, PagerNew create) {
        MemorySegment pager = call((c, arena) -> {
            MemorySegment out = arena.allocate(ADDRESS);
            Calls.check(arena, err -> create.call(c, arena, out, err));
            return out.get(ADDRESS, 0);
        });
        return new Pager<>(this, handle, kind, pager).stream();
    }

    private static MemorySegment str(Arena arena, String name, String value) {
        return CStrings.required(arena, name, value);
    }

    /** {@code const char *const[]} of {@code values}, each checked and named {@code name[i]}. */
    private static MemorySegment stringArray(Arena arena, String name, List<String> values) {
        Objects.requireNonNull(values, name);
        MemorySegment array = arena.allocate(ADDRESS, Math.max(values.size(), 1));
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, str(arena, name + "[" + i + "]", values.get(i)));
        }
        return array;
    }

    private static MemorySegment element(MemorySegment array, StructLayout layout, long i) {
        return array.asSlice(i * layout.byteSize(), layout);
    }
}
