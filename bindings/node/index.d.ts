// Type definitions for the eiam Node.js binding.

/** Numeric values of `eiam_status` (stable), read from the header. */
export declare const Status: Readonly<{
  OK: 0;
  INVALID_ARGUMENT: 1;
  API_ERROR: 2;
  AUTH_ERROR: 3;
  TRANSPORT_ERROR: 4;
  TIMEOUT: 5;
  PROTOCOL_ERROR: 6;
  INTERNAL_ERROR: 7;
  CANCELLED: 8;
}>;

export type StatusName = Exclude<keyof typeof Status, 'OK'>;

/** A failed call. */
export declare class EiamError extends Error {
  readonly name: 'EiamError';
  /** Status name, e.g. `'API_ERROR'`. */
  readonly status: StatusName;
  /** Numeric `eiam_status`, e.g. `2`. */
  readonly statusCode: number;
  /** HTTP status of the response behind the error, or null when none was received. */
  readonly httpStatus: number | null;
  /** Normalized code (`'APP.ACCOUNT.0038'`, `'invalid_client'`), or null. */
  readonly code: string | null;
  /** The library's name of the status (`eiam_status_name`): `'api'`, `'timeout'`, ... */
  readonly kind: string;
  /** The whole error as the library writes it (`eiam_error_to_string`):
   * `'api error APP.ACCOUNT.0038 (HTTP 400): 公共账号不存在'`. `toString()` shows it. */
  readonly text: string;
}

/**
 * Options of a client, one per `eiam_config_set_*` function of the C API.
 * Each must have its type (no conversion: `'false'` is not a boolean); an
 * unknown option, or a value of another type, is a TypeError naming it. A
 * number out of range, and what the library itself refuses, is an
 * EiamError (INVALID_ARGUMENT).
 */
export interface ClientOptions {
  /** Tenant base URL; `http://` only to loopback unless `allowInsecureHttp`. */
  baseUrl?: string;
  /** Client credentials: give both. */
  clientId?: string;
  clientSecret?: string;
  /** A token obtained elsewhere (never renewed). */
  accessToken?: string;
  /** Deadline of one call, token fetch and retries included (default 30000); an integer. */
  timeoutMs?: number;
  /** Connect timeout (default 10000); an integer. */
  connectTimeoutMs?: number;
  /** Retries after transport failures and 429/502/503/504 (default 2); an integer up to 2^32 - 1. */
  maxRetries?: number;
  /** PEM bundle trusted in addition to the platform store. */
  caFile?: string;
  /** Whether the platform trust store is used (default true); `false` trusts only `caFile`. */
  usePlatformRoots?: boolean;
  /** HTTP proxy (`http://host:port`). */
  proxy?: string;
  /** Allows `http://` to hosts other than loopback (default false): secrets then cross the network in clear text. */
  allowInsecureHttp?: boolean;
  /** DANGER: turns TLS certificate and host name verification off (default false). For throwaway test set-ups only. */
  dangerAcceptInvalidCerts?: boolean;
  /** Product token put before `eiam/<version>` in the User-Agent. */
  userAgent?: string;
}

export interface Owner {
  userId: string;
  userName: string;
  disabled: boolean;
}

export interface BindItem {
  appId: string;
  appUserId: string;
  userName: string;
}

export type BindResult =
  | { ok: true; accountId: string; error: null }
  | { ok: false; accountId: null; error: EiamError };

/**
 * A client of one tenant. Every method blocks the calling thread until the
 * call finishes (the C API is synchronous).
 */
export declare class Client {
  /** @throws EiamError on an invalid option. */
  constructor(options?: ClientOptions);
  /** Fetches (or reuses) the token now, so bad credentials fail here. */
  authenticate(): void;
  /**
   * Makes `userName` the owner of the public account; returns its account id.
   * Strings C cannot carry unchanged (an embedded NUL, a lone surrogate)
   * are refused before anything is sent, as EiamError (INVALID_ARGUMENT)
   * naming the argument; a non-string is a TypeError.
   */
  bindPublicAccountOwner(appId: string, appUserId: string, userName: string): string;
  getPublicAccountOwner(appId: string, appUserId: string): Owner;
  /**
   * One result per item, in input order; `concurrency` (an integer) 0 or
   * absent means the library's default, 8. A field C cannot carry (see
   * the methods above) refuses the whole job, naming the item and field.
   */
  bindPublicAccountOwners(items: BindItem[], options?: { concurrency?: number }): BindResult[];
  /** Frees the client; idempotent. Later calls throw an EiamError (INVALID_ARGUMENT). */
  close(): void;
  readonly closed: boolean;
}

/** The library's version, e.g. `"0.1.0"`. */
export declare function version(): string;

/**
 * The file libeiam was loaded from: `$EIAM_LIB`, else what the dynamic
 * loader found for `libeiam.so.0` or `libeiam.so`, else (in a checkout)
 * the repository's `target/debug/libeiam.so`.
 */
export declare const libraryPath: string;
