// Type definitions for the eiam Node.js binding.

/** Numeric values of `eiam_status` (stable). */
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
}

export interface ClientOptions {
  /** Tenant base URL; `http://` only to loopback unless `allowInsecureHttp`. */
  baseUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** A token obtained elsewhere (never renewed). */
  accessToken?: string;
  /** Deadline of one call, token fetch and retries included (default 30000). */
  timeoutMs?: number;
  /** Connect timeout (default 10000). */
  connectTimeoutMs?: number;
  /** Retries after transport failures and 429/502/503/504 (default 2). */
  maxRetries?: number;
  /** PEM bundle trusted in addition to the platform store. */
  caFile?: string;
  /** HTTP proxy (`http://host:port`). */
  proxy?: string;
  allowInsecureHttp?: boolean;
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
  /** Makes `userName` the owner of the public account; returns its account id. */
  bindPublicAccountOwner(appId: string, appUserId: string, userName: string): string;
  getPublicAccountOwner(appId: string, appUserId: string): Owner;
  /** One result per item, in input order; `concurrency` 0 or absent means 8. */
  bindPublicAccountOwners(items: BindItem[], options?: { concurrency?: number }): BindResult[];
  /** Frees the client; idempotent. Later calls throw an EiamError (INVALID_ARGUMENT). */
  close(): void;
  readonly closed: boolean;
}

/** The library's version, e.g. `"0.1.0"`. */
export declare function version(): string;

/** The path libeiam was loaded from. */
export declare const libraryPath: string;
