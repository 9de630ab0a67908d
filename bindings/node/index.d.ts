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
  /** How many of the library's worker threads run this client's async calls at once (default 128, at most 1024); an integer. */
  asyncWorkers?: number;
}

/**
 * What every async call accepts: `signal` aborts it. An aborted call
 * rejects with EiamError `CANCELLED` (within a few tens of milliseconds
 * even while it waits for the service; a request already sent may still
 * take effect); a signal aborted already rejects at once and sends nothing.
 */
export interface CallOptions {
  signal?: AbortSignal;
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

/** The kinds of application account. */
export declare const AccountType: Readonly<{
  BASIC_ACCOUNT: 'BASIC_ACCOUNT';
  ORPHAN_ACCOUNT: 'ORPHAN_ACCOUNT';
  PUBLIC_ACCOUNT: 'PUBLIC_ACCOUNT';
}>;
export type AccountTypeName = (typeof AccountType)[keyof typeof AccountType];

/** Smallest page size the service accepts (10). */
export declare const MIN_PAGE_SIZE: number;
/** Largest page size the service accepts (100). */
export declare const MAX_PAGE_SIZE: number;
/** The iterators' page size unless told otherwise (100: the fewest requests). */
export declare const DEFAULT_PAGE_SIZE: number;

/**
 * The optional fields of a create or an update; one left out is not sent
 * (an update then leaves it as it is). Each must have its type (`null` is
 * not "left out"); an unknown key is a TypeError.
 */
export interface AccountFields {
  /** Display (real) name. */
  name?: string;
  /** The application organization's code. */
  orgCode?: string;
  /** The account's password in the application: never part of an error. */
  password?: string;
  disabled?: boolean;
  /** Custom attributes, sent as JSON. */
  extension?: Record<string, unknown>;
}

export interface BasicAccountFields extends AccountFields {
  /** The login name; absent: the service names it after the user. */
  accountName?: string;
}

export interface Account {
  id: string;
  accountName: string;
  /** null when the account has none. */
  name: string | null;
  /** The application organization's id, or null. */
  orgId: string | null;
  /** As the service sent it (normally one of AccountType). */
  accountType: string;
  disabled: boolean;
  extension: Record<string, unknown>;
}

/** A member of a public account. */
export interface AccountUser {
  id: string;
  userName: string;
  disabled: boolean;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  /** How many items the whole list has. */
  total: number;
  /** This page's number, from 0. */
  page: number;
}

/** Page `page` (from 0, default 0) of `pageSize` items (10 to 100, default 100), both integers. */
export interface PageOptions {
  page?: number;
  pageSize?: number;
}

export interface RequestOptions extends CallOptions {
  /** Query parameters, as an object or as [name, value] pairs; a number value is sent as String(n). */
  query?: Record<string, string | number> | Array<[string, string | number]>;
  /** The body, written with JSON.stringify; absent: no body. */
  json?: unknown;
  /** Whether a retry is safe; absent: GET, PUT and DELETE are retried like reads, POST and PATCH only when they certainly did not arrive. */
  idempotent?: boolean;
}

/**
 * The blocking form of every call (`client.sync`): each waits on the
 * calling thread, holding the event loop, until its answer (bounded by
 * `timeoutMs`). The walks are generators over the library's pagers.
 */
export interface SyncCalls {
  authenticate(): void;
  bindPublicAccountOwner(appId: string, appUserId: string, userName: string): string;
  getPublicAccountOwner(appId: string, appUserId: string): Owner;
  bindPublicAccountOwners(items: BindItem[], options?: { concurrency?: number }): BindResult[];
  createPublicAccount(appId: string, accountName: string, fields?: AccountFields): string;
  createBasicAccount(appId: string, userId: string, fields?: BasicAccountFields): string;
  createOrphanAccount(appId: string, accountName: string, fields?: AccountFields): string;
  addPublicAccountUsers(appId: string, appUserId: string, userNames: string[]): string;
  removePublicAccountUsers(appId: string, appUserId: string, userNames: string[]): string;
  listPublicAccountUsers(appId: string, appUserId: string, options?: PageOptions): Page<AccountUser>;
  /** Freed at the end, on `break`/`return()`, on an error, with the client's close(), or once collected. */
  publicAccountUsers(appId: string, appUserId: string, options?: { pageSize?: number }): Generator<AccountUser, void, undefined>;
  getAccount(appId: string, accountId: string): Account;
  listAccounts(appId: string, options?: PageOptions & { accountType?: AccountTypeName | '' }): Page<Account>;
  accounts(appId: string, options?: { accountType?: AccountTypeName | ''; pageSize?: number }): Generator<Account, void, undefined>;
  updateAccount(appId: string, accountId: string, accountName: string, fields?: AccountFields): string;
  disableAccount(appId: string, accountId: string): string;
  enableAccount(appId: string, accountId: string): string;
  deleteAccount(appId: string, accountId: string): void;
  request(method: string, path: string, options?: Omit<RequestOptions, 'signal'>): unknown;
}

/**
 * A client of one tenant. Every method returns a Promise: the call runs on
 * the library's own worker threads (not libuv's pool), and the event loop
 * stays free. Arguments of the wrong type reject with a TypeError, strings
 * C cannot carry unchanged (an embedded NUL, a lone surrogate) with
 * EiamError (INVALID_ARGUMENT) naming the argument, before anything is sent.
 */
export declare class Client {
  /** @throws EiamError on an invalid option. */
  constructor(options?: ClientOptions);
  /** The blocking form of every call. */
  readonly sync: SyncCalls;
  /** Fetches (or reuses) the token now, so bad credentials fail here. */
  authenticate(options?: CallOptions): Promise<void>;
  /** Makes `userName` the owner of the public account; resolves to its account id. */
  bindPublicAccountOwner(appId: string, appUserId: string, userName: string, options?: CallOptions): Promise<string>;
  getPublicAccountOwner(appId: string, appUserId: string, options?: CallOptions): Promise<Owner>;
  /**
   * One result per item, in input order; `concurrency` (an integer) 0 or
   * absent means the library's default, 8. A field C cannot carry refuses
   * the whole job, naming the item and field.
   */
  bindPublicAccountOwners(items: BindItem[], options?: CallOptions & { concurrency?: number }): Promise<BindResult[]>;

  /**
   * Creates a public (shared) account; resolves to its id. Creates are not
   * retried once they may have arrived: a lost answer is an error and the
   * account may exist. `fields.signal` aborts it.
   */
  createPublicAccount(appId: string, accountName: string, fields?: AccountFields & CallOptions): Promise<string>;
  /** Creates a compliance (basic) account of user `userId`; resolves to its id. */
  createBasicAccount(appId: string, userId: string, fields?: BasicAccountFields & CallOptions): Promise<string>;
  /** Creates an orphan account (no user); resolves to its id. */
  createOrphanAccount(appId: string, accountName: string, fields?: AccountFields & CallOptions): Promise<string>;
  /** Gives the named users access to the public account; resolves to its id. An empty list is refused. */
  addPublicAccountUsers(appId: string, appUserId: string, userNames: string[], options?: CallOptions): Promise<string>;
  /** Takes the public account away from the named users; resolves to its id. */
  removePublicAccountUsers(appId: string, appUserId: string, userNames: string[], options?: CallOptions): Promise<string>;
  listPublicAccountUsers(appId: string, appUserId: string, options?: PageOptions & CallOptions): Promise<Page<AccountUser>>;
  /**
   * Every member of the public account, for `for await`: each page is
   * fetched when the loop needs it (nothing is sent before the first
   * step, nothing after a `break`). Arguments are checked when the
   * iterator is made (a TypeError is thrown there); a failed page (a bad
   * `pageSize`, a service that repeats a page, an aborted `signal`)
   * rejects the step that meets it.
   */
  publicAccountUsers(appId: string, appUserId: string, options?: { pageSize?: number } & CallOptions): AsyncGenerator<AccountUser, void, undefined>;
  getAccount(appId: string, accountId: string, options?: CallOptions): Promise<Account>;
  /** A page of the application's accounts, of one type or (absent or `''`) every type. */
  listAccounts(appId: string, options?: PageOptions & CallOptions & { accountType?: AccountTypeName | '' }): Promise<Page<Account>>;
  /** Every account of the application, lazily; as publicAccountUsers. */
  accounts(appId: string, options?: { accountType?: AccountTypeName | ''; pageSize?: number } & CallOptions): AsyncGenerator<Account, void, undefined>;
  /** Sets `accountName` (required by the service) and the fields given; resolves to the account's id. */
  updateAccount(appId: string, accountId: string, accountName: string, fields?: AccountFields & CallOptions): Promise<string>;
  disableAccount(appId: string, accountId: string, options?: CallOptions): Promise<string>;
  enableAccount(appId: string, accountId: string, options?: CallOptions): Promise<string>;
  /** Deletes the account; retried like a read (a retry that finds it gone succeeds). */
  deleteAccount(appId: string, accountId: string, options?: CallOptions): Promise<void>;
  /**
   * Sends `method` to `path` (relative to the base URL, starting with
   * `/api/`, sent as given) with the client's token, deadline, retries and
   * errors; resolves to the answer's JSON, or undefined when it had no body.
   */
  request(method: string, path: string, options?: RequestOptions): Promise<unknown>;
  /**
   * Frees the client; idempotent. Calls under way reject with CANCELLED;
   * later calls reject with EiamError (INVALID_ARGUMENT).
   */
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
