package io.github.eiam;

/**
 * A failed call. Catch a subclass for one status ({@link Api},
 * {@link Auth}, ...) or this class for all of them. {@link #getMessage()}
 * is the whole error as the library writes it ({@code eiam_error_to_string}:
 * {@code "api error APP.ACCOUNT.0038 (HTTP 400): 公共账号不存在"}).
 */
public class EiamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;
    private final int httpStatus;
    private final String code;
    private final String detail;

    EiamException(Status status, int httpStatus, String code, String detail, String text) {
        super(text);
        this.status = status;
        this.httpStatus = httpStatus;
        this.code = code;
        this.detail = detail;
    }

    /** Builds the subclass of {@code status}. */
    static EiamException of(Status status, int httpStatus, String code, String detail, String text) {
        return switch (status) {
            case INVALID_ARGUMENT -> new InvalidArgument(httpStatus, code, detail, text);
            case API_ERROR -> new Api(httpStatus, code, detail, text);
            case AUTH_ERROR -> new Auth(httpStatus, code, detail, text);
            case TRANSPORT_ERROR -> new Transport(httpStatus, code, detail, text);
            case TIMEOUT -> new Timeout(httpStatus, code, detail, text);
            case PROTOCOL_ERROR -> new Protocol(httpStatus, code, detail, text);
            case CANCELLED -> new Cancelled(httpStatus, code, detail, text);
            case INTERNAL_ERROR, OK -> new Internal(httpStatus, code, detail, text);
        };
    }

    /**
     * An argument this binding refuses before calling C (a string C cannot
     * carry, a number C's type cannot hold), worded as the library words its
     * own: {@code "invalid argument error: appId must not contain NUL characters"}.
     */
    static InvalidArgument refused(String detail) {
        return new InvalidArgument(0, null, detail, Status.INVALID_ARGUMENT.libraryName() + " error: " + detail);
    }

    public Status status() {
        return status;
    }

    /** The HTTP status of the answer behind the error; 0 when none was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The normalized code ({@code "APP.ACCOUNT.0038"}, {@code "invalid_client"}), or null. */
    public String code() {
        return code;
    }

    /** What went wrong, without the status, code and HTTP status {@link #getMessage()} adds. */
    public String detail() {
        return detail;
    }

    /** The library's name of the status: "api", "timeout", ... */
    public String kind() {
        return status.libraryName();
    }

    /** Rejected before any request: a null pointer, bad text or an invalid value. */
    public static final class InvalidArgument extends EiamException {
        private static final long serialVersionUID = 1L;

        InvalidArgument(int httpStatus, String code, String detail, String text) {
            super(Status.INVALID_ARGUMENT, httpStatus, code, detail, text);
        }
    }

    /** The service answered with an error code. */
    public static final class Api extends EiamException {
        private static final long serialVersionUID = 1L;

        Api(int httpStatus, String code, String detail, String text) {
            super(Status.API_ERROR, httpStatus, code, detail, text);
        }
    }

    /** A token could not be obtained or was rejected. */
    public static final class Auth extends EiamException {
        private static final long serialVersionUID = 1L;

        Auth(int httpStatus, String code, String detail, String text) {
            super(Status.AUTH_ERROR, httpStatus, code, detail, text);
        }
    }

    /** DNS, connect, TLS, proxy or a connection reset. */
    public static final class Transport extends EiamException {
        private static final long serialVersionUID = 1L;

        Transport(int httpStatus, String code, String detail, String text) {
            super(Status.TRANSPORT_ERROR, httpStatus, code, detail, text);
        }
    }

    /** The call's deadline passed. */
    public static final class Timeout extends EiamException {
        private static final long serialVersionUID = 1L;

        Timeout(int httpStatus, String code, String detail, String text) {
            super(Status.TIMEOUT, httpStatus, code, detail, text);
        }
    }

    /** The service answered with an unexpected status or body. */
    public static final class Protocol extends EiamException {
        private static final long serialVersionUID = 1L;

        Protocol(int httpStatus, String code, String detail, String text) {
            super(Status.PROTOCOL_ERROR, httpStatus, code, detail, text);
        }
    }

    /** A bug in the library, or a library newer than this binding. */
    public static final class Internal extends EiamException {
        private static final long serialVersionUID = 1L;

        Internal(int httpStatus, String code, String detail, String text) {
            super(Status.INTERNAL_ERROR, httpStatus, code, detail, text);
        }
    }

    /** A bulk item the job never started, because the progress callback cancelled it. */
    public static final class Cancelled extends EiamException {
        private static final long serialVersionUID = 1L;

        Cancelled(int httpStatus, String code, String detail, String text) {
            super(Status.CANCELLED, httpStatus, code, detail, text);
        }
    }
}
