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

    /** Fetches (or reuses) the access token now, so that bad credentials fail here. */
    public void authenticate() {
        call((c, arena) -> {
            Calls.check(arena, err -> (int) Native.eiam_client_authenticate.invokeExact(c, err));
            return null;
        });
    }

    // ------------------------------------------------------------ owners

    /** Makes {@code userName} the owner of public account {@code appUserId}; returns its account id. */
    public String bindPublicAccountOwner(String appId, String appUserId, String userName) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment u = str(arena, "appUserId", appUserId);
            MemorySegment n = str(arena, "userName", userName);
            return Calls.checkString(arena,
                    (out, err) -> (int) Native.eiam_bind_public_account_owner.invokeExact(c, a, u, n, out, err));
        });
    }

    /** The owner of public account {@code appUserId} of application {@code appId}. */
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
     * Binds the owner of every item with at most {@code concurrency} binds at
     * once ({@link #DEFAULT_CONCURRENCY}: the library's default) and returns
     * one result per item, in input order. One item's failure never stops the
     * others. {@code progress} may be null.
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

    /** Creates a public (shared) account; {@code fields} may be null. Returns the new account's id. */
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
     * Creates a compliance (basic) account of user {@code userId};
     * {@code accountName} may be null (the service names it after the user),
     * and so may {@code fields}. Returns the new account's id.
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

    /** Creates an orphan account (one with no user); {@code fields} may be null. Returns the new account's id. */
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

    /** Gives the users named {@code userNames} access to public account {@code appUserId}; returns its id. */
    public String addPublicAccountUsers(String appId, String appUserId, List<String> userNames) {
        return changeMembers(Native.eiam_add_public_account_users, appId, appUserId, userNames);
    }

    /** Takes access to public account {@code appUserId} away from the users named {@code userNames}; returns its id. */
    public String removePublicAccountUsers(String appId, String appUserId, List<String> userNames) {
        return changeMembers(Native.eiam_remove_public_account_users, appId, appUserId, userNames);
    }

    /** Page {@code page} (from 0) of the members of public account {@code appUserId}. */
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
     * Every member of public account {@code appUserId}, fetched a page at a
     * time as the stream is consumed. Close the stream (try-with-resources)
     * if you may stop early; a stream consumed to its end is closed already.
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

    /** Account {@code accountId} of application {@code appId}. */
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
     * Page {@code page} (from 0) of the accounts of application {@code appId}
     * of type {@code accountType} ({@code "BASIC_ACCOUNT"},
     * {@code "ORPHAN_ACCOUNT"}, {@code "PUBLIC_ACCOUNT"}), or of every type
     * when it is null or empty.
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
     * Every account of application {@code appId} (of one type, or all when
     * {@code accountType} is null or empty), fetched a page at a time as the
     * stream is consumed; as {@link #publicAccountUsers(String, String, int)}.
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
     * Updates account {@code accountId}: {@code accountName} (required by the
     * service) and the fields set in {@code fields} (may be null); the others
     * stay as they are. Returns the account's id.
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

    /** Disables account {@code accountId}; returns its id. */
    public String disableAccount(String appId, String accountId) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment id = str(arena, "accountId", accountId);
            return Calls.checkString(arena, (out, err) -> (int) Native.eiam_disable_account.invokeExact(c, a, id, out, err));
        });
    }

    /** Enables account {@code accountId}; returns its id. */
    public String enableAccount(String appId, String accountId) {
        return call((c, arena) -> {
            MemorySegment a = str(arena, "appId", appId);
            MemorySegment id = str(arena, "accountId", accountId);
            return Calls.checkString(arena, (out, err) -> (int) Native.eiam_enable_account.invokeExact(c, a, id, out, err));
        });
    }

    /** Deletes account {@code accountId} (of any type). */
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
     * Sends {@code method} to {@code path} (relative to the base URL, under
     * {@code /api/}, sent as given) with {@code query} and {@code jsonBody}
     * (JSON text, or null for no body), with the token, deadline, retries
     * and errors of the typed calls. Returns the answer's JSON text, or null
     * when it had no body.
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
