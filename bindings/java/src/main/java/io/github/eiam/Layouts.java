package io.github.eiam;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The structs of include/eiam.h as FFM layouts, with the byte offsets of
 * their fields. Field names are the header's: HeaderTest compares them,
 * their order and their C types with the header. The padding is what the
 * C ABI of x86-64 and aarch64 puts there; FFM refuses a misaligned field.
 */
final class Layouts {
    private Layouts() {}

    static final StructLayout ERROR = MemoryLayout.structLayout(
            JAVA_INT.withName("status"),
            JAVA_SHORT.withName("http_status"),
            MemoryLayout.paddingLayout(2),
            ADDRESS.withName("code"),
            ADDRESS.withName("message")).withName("eiam_error");
    static final long ERROR_STATUS = offset(ERROR, "status");
    static final long ERROR_HTTP_STATUS = offset(ERROR, "http_status");
    static final long ERROR_CODE = offset(ERROR, "code");
    static final long ERROR_MESSAGE = offset(ERROR, "message");

    static final StructLayout OWNER = MemoryLayout.structLayout(
            ADDRESS.withName("user_id"),
            ADDRESS.withName("user_name"),
            JAVA_BOOLEAN.withName("disabled"),
            MemoryLayout.paddingLayout(7)).withName("eiam_owner");
    static final long OWNER_USER_ID = offset(OWNER, "user_id");
    static final long OWNER_USER_NAME = offset(OWNER, "user_name");
    static final long OWNER_DISABLED = offset(OWNER, "disabled");

    static final StructLayout ACCOUNT = MemoryLayout.structLayout(
            ADDRESS.withName("id"),
            ADDRESS.withName("account_name"),
            ADDRESS.withName("name"),
            ADDRESS.withName("org_id"),
            ADDRESS.withName("account_type"),
            JAVA_BOOLEAN.withName("disabled"),
            MemoryLayout.paddingLayout(7),
            ADDRESS.withName("extension")).withName("eiam_account");
    static final long ACCOUNT_ID = offset(ACCOUNT, "id");
    static final long ACCOUNT_ACCOUNT_NAME = offset(ACCOUNT, "account_name");
    static final long ACCOUNT_NAME = offset(ACCOUNT, "name");
    static final long ACCOUNT_ORG_ID = offset(ACCOUNT, "org_id");
    static final long ACCOUNT_TYPE = offset(ACCOUNT, "account_type");
    static final long ACCOUNT_DISABLED = offset(ACCOUNT, "disabled");
    static final long ACCOUNT_EXTENSION = offset(ACCOUNT, "extension");

    static final StructLayout ACCOUNT_USER = MemoryLayout.structLayout(
            ADDRESS.withName("id"),
            ADDRESS.withName("user_name"),
            JAVA_BOOLEAN.withName("disabled"),
            MemoryLayout.paddingLayout(7)).withName("eiam_account_user");
    static final long ACCOUNT_USER_ID = offset(ACCOUNT_USER, "id");
    static final long ACCOUNT_USER_USER_NAME = offset(ACCOUNT_USER, "user_name");
    static final long ACCOUNT_USER_DISABLED = offset(ACCOUNT_USER, "disabled");

    /** eiam_account_page and eiam_account_user_page have this same shape. */
    private static StructLayout page(String name) {
        return MemoryLayout.structLayout(
                ADDRESS.withName("items"),
                JAVA_LONG.withName("len"),
                JAVA_LONG.withName("total"),
                JAVA_INT.withName("page"),
                MemoryLayout.paddingLayout(4)).withName(name);
    }

    static final StructLayout ACCOUNT_PAGE = page("eiam_account_page");
    static final StructLayout ACCOUNT_USER_PAGE = page("eiam_account_user_page");
    static final long PAGE_ITEMS = offset(ACCOUNT_PAGE, "items");
    static final long PAGE_LEN = offset(ACCOUNT_PAGE, "len");
    static final long PAGE_TOTAL = offset(ACCOUNT_PAGE, "total");
    static final long PAGE_PAGE = offset(ACCOUNT_PAGE, "page");

    static final StructLayout ACCOUNT_FIELDS = MemoryLayout.structLayout(
            ADDRESS.withName("name"),
            ADDRESS.withName("org_code"),
            ADDRESS.withName("password"),
            JAVA_INT.withName("disabled"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("extension")).withName("eiam_account_fields");
    static final long FIELDS_NAME = offset(ACCOUNT_FIELDS, "name");
    static final long FIELDS_ORG_CODE = offset(ACCOUNT_FIELDS, "org_code");
    static final long FIELDS_PASSWORD = offset(ACCOUNT_FIELDS, "password");
    static final long FIELDS_DISABLED = offset(ACCOUNT_FIELDS, "disabled");
    static final long FIELDS_EXTENSION = offset(ACCOUNT_FIELDS, "extension");

    static final StructLayout BIND_ITEM = MemoryLayout.structLayout(
            ADDRESS.withName("app_id"),
            ADDRESS.withName("app_user_id"),
            ADDRESS.withName("user_name")).withName("eiam_bind_item");
    static final long BIND_ITEM_APP_ID = offset(BIND_ITEM, "app_id");
    static final long BIND_ITEM_APP_USER_ID = offset(BIND_ITEM, "app_user_id");
    static final long BIND_ITEM_USER_NAME = offset(BIND_ITEM, "user_name");

    static final StructLayout BIND_RESULT = MemoryLayout.structLayout(
            ADDRESS.withName("account_id"),
            ERROR.withName("error")).withName("eiam_bind_result");
    static final long BIND_RESULT_ACCOUNT_ID = offset(BIND_RESULT, "account_id");
    static final long BIND_RESULT_ERROR = offset(BIND_RESULT, "error");

    static final StructLayout QUERY_PARAM = MemoryLayout.structLayout(
            ADDRESS.withName("name"),
            ADDRESS.withName("value")).withName("eiam_query_param");
    static final long QUERY_PARAM_NAME = offset(QUERY_PARAM, "name");
    static final long QUERY_PARAM_VALUE = offset(QUERY_PARAM, "value");

    /** Only for HeaderTest: the summary of the streaming bulk bind, which this binding does not use. */
    static final StructLayout JOB_SUMMARY = MemoryLayout.structLayout(
            JAVA_LONG.withName("started"),
            JAVA_BOOLEAN.withName("stopped"),
            MemoryLayout.paddingLayout(7)).withName("eiam_job_summary");

    /** Every struct above, for HeaderTest. */
    static final StructLayout[] ALL = {
        ERROR, OWNER, ACCOUNT, ACCOUNT_USER, ACCOUNT_PAGE, ACCOUNT_USER_PAGE, ACCOUNT_FIELDS, BIND_ITEM, BIND_RESULT,
        QUERY_PARAM, JOB_SUMMARY,
    };

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }
}
