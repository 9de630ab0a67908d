package io.github.eiam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One downcall handle per function of include/eiam.h, looked up once when
 * the class loads: a {@code static final} handle is a constant the JIT
 * inlines, so a call costs no lookup. Each field is named after its C
 * function. HeaderTest checks every descriptor against the header's
 * prototype (types, arity), and scripts/header-parity.py that every
 * function is here.
 *
 * <p>Types: {@code enum eiam_status}, {@code int} and {@code uint32_t} are
 * JAVA_INT; {@code size_t} and {@code uint64_t} JAVA_LONG; {@code bool}
 * JAVA_BOOLEAN; every pointer ADDRESS.
 */
final class Native {
    private Native() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout P = ADDRESS;
    private static final MemoryLayout I = JAVA_INT;
    private static final MemoryLayout L = JAVA_LONG;
    private static final MemoryLayout B = JAVA_BOOLEAN;

    private static final Map<String, FunctionDescriptor> declared = new LinkedHashMap<>();
    /** Every function declared here, by its C name: for HeaderTest. */
    static final Map<String, FunctionDescriptor> DECLARED = Collections.unmodifiableMap(declared);

    /** A function returning {@code enum eiam_status}. */
    private static MethodHandle status(String name, MemoryLayout... params) {
        return bind(name, FunctionDescriptor.of(JAVA_INT, params));
    }

    private static MethodHandle procedure(String name, MemoryLayout... params) {
        return bind(name, FunctionDescriptor.ofVoid(params));
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        declared.put(name, descriptor);
        MemorySegment symbol = Library.OPENED.symbols().find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "libeiam from " + Library.OPENED.source() + " has no " + name + ": is it older than this binding?"));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    // Library, statuses and errors.
    static final MethodHandle eiam_version = bind("eiam_version", FunctionDescriptor.of(P));
    static final MethodHandle eiam_status_name = bind("eiam_status_name", FunctionDescriptor.of(P, I));
    static final MethodHandle eiam_error_to_string = status("eiam_error_to_string", P, P, P);
    static final MethodHandle eiam_error_clear = procedure("eiam_error_clear", P);
    static final MethodHandle eiam_string_free = procedure("eiam_string_free", P);

    // Configuration.
    static final MethodHandle eiam_config_new = bind("eiam_config_new", FunctionDescriptor.of(P));
    static final MethodHandle eiam_config_free = procedure("eiam_config_free", P);
    static final MethodHandle eiam_config_set_base_url = status("eiam_config_set_base_url", P, P, P);
    static final MethodHandle eiam_config_set_client_credentials = status("eiam_config_set_client_credentials", P, P, P, P);
    static final MethodHandle eiam_config_set_client_id = status("eiam_config_set_client_id", P, P, P);
    static final MethodHandle eiam_config_set_client_secret = status("eiam_config_set_client_secret", P, P, P);
    static final MethodHandle eiam_config_set_access_token = status("eiam_config_set_access_token", P, P, P);
    static final MethodHandle eiam_config_set_timeout_ms = status("eiam_config_set_timeout_ms", P, L, P);
    static final MethodHandle eiam_config_set_connect_timeout_ms = status("eiam_config_set_connect_timeout_ms", P, L, P);
    static final MethodHandle eiam_config_set_max_retries = status("eiam_config_set_max_retries", P, I, P);
    static final MethodHandle eiam_config_set_ca_file = status("eiam_config_set_ca_file", P, P, P);
    static final MethodHandle eiam_config_set_use_platform_roots = status("eiam_config_set_use_platform_roots", P, B, P);
    static final MethodHandle eiam_config_set_proxy = status("eiam_config_set_proxy", P, P, P);
    static final MethodHandle eiam_config_set_allow_insecure_http = status("eiam_config_set_allow_insecure_http", P, B, P);
    static final MethodHandle eiam_config_set_danger_accept_invalid_certs =
            status("eiam_config_set_danger_accept_invalid_certs", P, B, P);
    static final MethodHandle eiam_config_set_user_agent = status("eiam_config_set_user_agent", P, P, P);
    /** Declared so that HeaderTest checks it; unused (header-parity-exempt.txt says why). */
    static final MethodHandle eiam_config_set_async_workers = status("eiam_config_set_async_workers", P, I, P);

    // The client.
    static final MethodHandle eiam_client_new = status("eiam_client_new", P, P, P);
    static final MethodHandle eiam_client_free = procedure("eiam_client_free", P);
    static final MethodHandle eiam_client_authenticate = status("eiam_client_authenticate", P, P);

    // Owners.
    static final MethodHandle eiam_bind_public_account_owner = status("eiam_bind_public_account_owner", P, P, P, P, P, P);
    static final MethodHandle eiam_get_public_account_owner = status("eiam_get_public_account_owner", P, P, P, P, P);
    static final MethodHandle eiam_owner_clear = procedure("eiam_owner_clear", P);
    static final MethodHandle eiam_bind_public_account_owners =
            status("eiam_bind_public_account_owners", P, P, L, I, P, P, P, P);
    static final MethodHandle eiam_bind_results_clear = procedure("eiam_bind_results_clear", P, L);
    // Unused (see header-parity-exempt.txt): declared so HeaderTest checks its prototype.
    static final MethodHandle eiam_bind_public_account_owners_streaming =
            status("eiam_bind_public_account_owners_streaming", P, I, P, P, P, P, P);

    // Accounts.
    static final MethodHandle eiam_create_public_account = status("eiam_create_public_account", P, P, P, P, P, P);
    static final MethodHandle eiam_create_basic_account = status("eiam_create_basic_account", P, P, P, P, P, P, P);
    static final MethodHandle eiam_create_orphan_account = status("eiam_create_orphan_account", P, P, P, P, P, P);
    static final MethodHandle eiam_get_account = status("eiam_get_account", P, P, P, P, P);
    static final MethodHandle eiam_account_clear = procedure("eiam_account_clear", P);
    static final MethodHandle eiam_update_account = status("eiam_update_account", P, P, P, P, P, P, P);
    static final MethodHandle eiam_disable_account = status("eiam_disable_account", P, P, P, P, P);
    static final MethodHandle eiam_enable_account = status("eiam_enable_account", P, P, P, P, P);
    static final MethodHandle eiam_delete_account = status("eiam_delete_account", P, P, P, P);
    static final MethodHandle eiam_list_accounts = status("eiam_list_accounts", P, P, P, I, I, P, P);
    static final MethodHandle eiam_account_page_clear = procedure("eiam_account_page_clear", P);
    static final MethodHandle eiam_account_pager_new = status("eiam_account_pager_new", P, P, P, I, P, P);
    static final MethodHandle eiam_account_pager_next = status("eiam_account_pager_next", P, P, P);
    static final MethodHandle eiam_account_pager_free = procedure("eiam_account_pager_free", P);

    // Members of public accounts.
    static final MethodHandle eiam_add_public_account_users = status("eiam_add_public_account_users", P, P, P, P, L, P, P);
    static final MethodHandle eiam_remove_public_account_users =
            status("eiam_remove_public_account_users", P, P, P, P, L, P, P);
    static final MethodHandle eiam_list_public_account_users = status("eiam_list_public_account_users", P, P, P, I, I, P, P);
    static final MethodHandle eiam_account_user_page_clear = procedure("eiam_account_user_page_clear", P);
    static final MethodHandle eiam_account_user_pager_new = status("eiam_account_user_pager_new", P, P, P, I, P, P);
    static final MethodHandle eiam_account_user_pager_next = status("eiam_account_user_pager_next", P, P, P);
    static final MethodHandle eiam_account_user_pager_free = procedure("eiam_account_user_pager_free", P);

    // Cancellation: a token and the client views whose calls it ends.
    static final MethodHandle eiam_cancel_new = bind("eiam_cancel_new", FunctionDescriptor.of(P));
    static final MethodHandle eiam_cancel_cancel = procedure("eiam_cancel_cancel", P);
    static final MethodHandle eiam_cancel_free = procedure("eiam_cancel_free", P);
    static final MethodHandle eiam_client_with_cancel = status("eiam_client_with_cancel", P, P, P, P);

    // Calls on the library's threads: declared so that HeaderTest checks them;
    // unused (header-parity-exempt.txt says why).
    static final MethodHandle eiam_call_async = status("eiam_call_async", P, P, P, P, P, P, P);
    static final MethodHandle eiam_task_cancel = procedure("eiam_task_cancel", P);
    static final MethodHandle eiam_task_free = procedure("eiam_task_free", P);

    // Raw requests.
    static final MethodHandle eiam_request = status("eiam_request", P, P, P, P, L, P, I, P, P);
}
