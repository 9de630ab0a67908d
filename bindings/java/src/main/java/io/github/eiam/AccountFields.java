package io.github.eiam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The optional fields of a create or an update: a field left unset (null)
 * is not sent, and an update then leaves it as it is.
 *
 * <pre>{@code
 * AccountFields.builder().name("Zhang San").disabled(false).extension("{\"dept\":\"x\"}").build()
 * }</pre>
 */
public final class AccountFields {
    /** EIAM_BOOL_UNSET, EIAM_BOOL_FALSE and EIAM_BOOL_TRUE of the header. */
    private static final int UNSET = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;

    private final String name;
    private final String orgCode;
    private final String password;
    private final Boolean disabled;
    private final String extension;

    private AccountFields(Builder b) {
        this.name = b.name;
        this.orgCode = b.orgCode;
        this.password = b.password;
        this.disabled = b.disabled;
        this.extension = b.extension;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** These fields as an {@code eiam_account_fields} in {@code arena}, or NULL for {@code fields} null. */
    static MemorySegment toC(Arena arena, AccountFields fields) {
        if (fields == null) {
            return MemorySegment.NULL;
        }
        MemorySegment c = arena.allocate(Layouts.ACCOUNT_FIELDS); // zeroed: NULL and EIAM_BOOL_UNSET
        c.set(ADDRESS, Layouts.FIELDS_NAME, CStrings.optional(arena, "fields.name", fields.name));
        c.set(ADDRESS, Layouts.FIELDS_ORG_CODE, CStrings.optional(arena, "fields.orgCode", fields.orgCode));
        c.set(ADDRESS, Layouts.FIELDS_PASSWORD, CStrings.optional(arena, "fields.password", fields.password));
        c.set(JAVA_INT, Layouts.FIELDS_DISABLED, fields.disabled == null ? UNSET : fields.disabled ? TRUE : FALSE);
        c.set(ADDRESS, Layouts.FIELDS_EXTENSION, CStrings.optional(arena, "fields.extension", fields.extension));
        return c;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "AccountFields[name=" + name + ", orgCode=" + orgCode + ", password=" + (password == null ? null : "***")
                + ", disabled=" + disabled + ", extension=" + extension + "]";
    }

    /** Each setter takes null for "not sent", its default. */
    public static final class Builder {
        private String name;
        private String orgCode;
        private String password;
        private Boolean disabled;
        private String extension;

        private Builder() {}

        /** The display (real) name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The application organization's code. */
        public Builder orgCode(String orgCode) {
            this.orgCode = orgCode;
            return this;
        }

        /** The account's password in the application; never in a message or a log line. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder disabled(Boolean disabled) {
            this.disabled = disabled;
            return this;
        }

        /** Custom attributes as the text of a JSON object ({@code {"dept": "x"}}), sent as it is. */
        public Builder extension(String extension) {
            this.extension = extension;
            return this;
        }

        public AccountFields build() {
            return new AccountFields(this);
        }
    }
}
