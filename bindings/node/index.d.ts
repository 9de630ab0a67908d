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
  /**
   * Fetches an access token now (or reuses the cached one), so that bad
   * credentials fail here rather than at the first call. With a static access
   * token there is nothing to check and it returns at once.
   *
   * Errors: `Status.AUTH_ERROR` when the token endpoint refuses the client id
   * and secret; `Status.TRANSPORT_ERROR` or `Status.TIMEOUT` when it cannot be
   * reached in time.
   */
  authenticate(): void;
  /**
   * Makes `userName` the owner of public account `appUserId` of application
   * `appId`, replacing any previous owner, and returns the public account's
   * account id. Binding the same owner again is harmless, so the call is
   * retried like a read.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `appUserId` (`APP.ACCOUNT.0047`), before anything is sent;
   * `Status.API_ERROR` with `APP.0001` (no such application) or
   * `APP.ACCOUNT.0038` (no such public account).
   */
  bindPublicAccountOwner(appId: string, appUserId: string, userName: string): string;
  /**
   * Returns the owner of public account `appUserId` of application `appId`: the
   * user's id and name and whether the user is disabled.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `appUserId` (`APP.ACCOUNT.0047`), before anything is sent;
   * `Status.API_ERROR` with `APP.ACCOUNT.0038` (no such public account) or
   * `APP.ACCOUNT.0037` (the account has no owner).
   */
  getPublicAccountOwner(appId: string, appUserId: string): Owner;
  /**
   * Binds the owner of every item (an `appId`, `appUserId` and `userName`) with
   * at most `concurrency` calls in flight (the library's default is 8, the most
   * 64) and returns one result per item, in input order: the account id, or the
   * item's own error. One item's failure never stops the others.
   *
   * Errors: Each item's result carries the errors of `bindPublicAccountOwner`;
   * items not started when the job is cancelled fail with `Status.CANCELLED`.
   *
   * `concurrency` (an integer) 0 or absent means the library's default, 8. A
   * field C cannot carry refuses the whole job, naming the item and field.
   */
  bindPublicAccountOwners(items: BindItem[], options?: { concurrency?: number }): BindResult[];
  /**
   * Creates a public (shared) account named `accountName` in application
   * `appId`, with the optional fields given, and returns its account id. It is
   * not retried once the request may have reached the service: a second create
   * would make a second account.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `accountName` (`APP.ACCOUNT.0001`), before anything is sent;
   * `Status.API_ERROR` with `APP.0001` (no such application) or `APP.ORG.0024`
   * (no such organization code); `Status.TRANSPORT_ERROR` or `Status.TIMEOUT`
   * when the answer was lost, and then the account may exist (list the accounts
   * to find out).
   */
  createPublicAccount(appId: string, accountName: string, fields?: AccountFields): string;
  /**
   * Creates a compliance (basic) account of user `userId` in application
   * `appId`, with the optional fields given, and returns its account id.
   * Without an `accountName` the service names it after the user. Retried as
   * `createPublicAccount` is.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `userId`, before anything is sent; `Status.API_ERROR` with `APP.0001` (no
   * such application), `USER.0001` (no such user) or `APP.ORG.0024` (no such
   * organization code); `Status.TRANSPORT_ERROR` or `Status.TIMEOUT` when the
   * answer was lost, and then the account may exist.
   */
  createBasicAccount(appId: string, userId: string, fields?: BasicAccountFields): string;
  /**
   * Creates an orphan account (one with no user) named `accountName` in
   * application `appId`, with the optional fields given, and returns its
   * account id. Retried as `createPublicAccount` is.
   *
   * Errors: As `createPublicAccount`: `Status.INVALID_ARGUMENT` for an empty
   * `appId` or `accountName`; `Status.API_ERROR` with `APP.0001` or
   * `APP.ORG.0024`; `Status.TRANSPORT_ERROR` or `Status.TIMEOUT` when the
   * answer was lost, and then the account may exist.
   */
  createOrphanAccount(appId: string, accountName: string, fields?: AccountFields): string;
  /**
   * Gives the users named `userNames` access to public account `appUserId` of
   * application `appId` and returns the account's id. Adding a member again is
   * harmless, so the call is retried like a read.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `userNames`, an empty name
   * in it, or an empty `appId` or `appUserId`, before anything is sent;
   * `Status.API_ERROR` with `APP.0001` (no such application) or
   * `APP.ACCOUNT.0038` (no such public account).
   */
  addPublicAccountUsers(appId: string, appUserId: string, userNames: string[]): string;
  /**
   * Takes access to public account `appUserId` of application `appId` away from
   * the users named `userNames` and returns the account's id. Retried like a
   * read, as `addPublicAccountUsers` is.
   *
   * Errors: As `addPublicAccountUsers`: `Status.INVALID_ARGUMENT` for an empty
   * `userNames` or id; `Status.API_ERROR` with `APP.0001` or
   * `APP.ACCOUNT.0038`.
   */
  removePublicAccountUsers(appId: string, appUserId: string, userNames: string[]): string;
  /**
   * Returns one page of the members of public account `appUserId` of
   * application `appId`: page `page` (from 0) of `pageSize` users (10 to 100),
   * with the list's total.
   *
   * Errors: `Status.INVALID_ARGUMENT` for a `pageSize` outside 10 to 100 or an
   * empty id, before anything is sent; `Status.API_ERROR` with
   * `APP.ACCOUNT.0038` (no such public account).
   */
  listPublicAccountUsers(appId: string, appUserId: string, options?: PageOptions): Page<AccountUser>;
  /**
   * Walks every member of public account `appUserId` of application `appId`,
   * fetching a page of `pageSize` users when it is needed. The walk stops after
   * the list's total or at an empty page.
   *
   * Errors: Each step fails as `listPublicAccountUsers` does, and with
   * `Status.PROTOCOL_ERROR` when the service repeats a page (a walk that would
   * never end).
   *
   * The generator's pager is freed at the end, on `break`/`return()`, on an
   * error, with the client's close(), or once collected.
   */
  publicAccountUsers(appId: string, appUserId: string, options?: { pageSize?: number }): Generator<AccountUser, void, undefined>;
  /**
   * Returns account `accountId` of application `appId`: its names, type,
   * organization, state and custom attributes (`extension`).
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `accountId` (`APP.ACCOUNT.0047`), before anything is sent;
   * `Status.API_ERROR` with `APP.ACCOUNT.0028` (no such account).
   */
  getAccount(appId: string, accountId: string): Account;
  /**
   * Returns one page of the accounts of application `appId`, of one
   * `accountType` (`BASIC_ACCOUNT`, `ORPHAN_ACCOUNT`, `PUBLIC_ACCOUNT`) or of
   * every type: page `page` (from 0) of `pageSize` accounts (10 to 100), with
   * the list's total.
   *
   * Errors: `Status.INVALID_ARGUMENT` for a `pageSize` outside 10 to 100, an
   * empty `appId`, or an unknown `accountType` (`APP.ACCOUNT.0045`), before
   * anything is sent; `Status.API_ERROR` with `APP.0001` (no such application).
   *
   * `accountType` absent or `''` means every type.
   */
  listAccounts(appId: string, options?: PageOptions & { accountType?: AccountTypeName | '' }): Page<Account>;
  /**
   * Walks every account of application `appId` (of one `accountType`, or of
   * every type), fetching a page of `pageSize` accounts when it is needed. The
   * walk stops after the list's total or at an empty page.
   *
   * Errors: Each step fails as `listAccounts` does, and with
   * `Status.PROTOCOL_ERROR` when the service repeats a page (a walk that would
   * never end).
   *
   * `accountType` absent or `''` means every type; otherwise as
   * publicAccountUsers.
   */
  accounts(appId: string, options?: { accountType?: AccountTypeName | ''; pageSize?: number }): Generator<Account, void, undefined>;
  /**
   * Updates account `accountId` of application `appId`: `accountName` (which
   * the service requires) and the optional fields given; the others stay as
   * they are. Returns the account's id. Retried like a read (the same update
   * twice leaves the same account).
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId`, `accountId` or
   * `accountName`, before anything is sent; `Status.API_ERROR` with `APP.0001`
   * (no such application), `APP.ACCOUNT.0028` (no such account) or
   * `APP.ORG.0024` (no such organization code).
   */
  updateAccount(appId: string, accountId: string, accountName: string, fields?: AccountFields): string;
  /**
   * Disables account `accountId` of application `appId` and returns its id.
   * Retried like a read.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` or `accountId`,
   * before anything is sent; `Status.API_ERROR` with `APP.ACCOUNT.0028` (no
   * such account).
   */
  disableAccount(appId: string, accountId: string): string;
  /**
   * Enables account `accountId` of application `appId` and returns its id.
   * Retried like a read.
   *
   * Errors: As `disableAccount`: `Status.INVALID_ARGUMENT` for an empty id;
   * `Status.API_ERROR` with `APP.ACCOUNT.0028` (no such account).
   */
  enableAccount(appId: string, accountId: string): string;
  /**
   * Deletes account `accountId` (of any type) of application `appId`. Retried
   * like a read: when an earlier attempt's answer was lost and the retry finds
   * no such account, that attempt deleted it and the call succeeds.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` or `accountId`,
   * before anything is sent; `Status.API_ERROR` with `APP.0001` (no such
   * application) or `APP.ACCOUNT.0028` (no such account).
   */
  deleteAccount(appId: string, accountId: string): void;
  /**
   * Sends any management API request: `method` to `path` (relative to the base
   * URL, starting with `/api/`, sent as given) with `query` pairs (encoded) and
   * an optional JSON body, with the client's token, deadline, retries and
   * errors. Returns the answer's JSON, or nothing for an empty answer. It is
   * retried as a typed call is when `idempotent` says so (by default GET, PUT
   * and DELETE are; POST and PATCH only when they certainly did not arrive).
   *
   * Errors: `Status.INVALID_ARGUMENT` for an unknown `method` or a `path` not
   * under `/api/`, before anything is sent; `Status.API_ERROR` with the
   * service's code for an error answer (the values of `password` keys in the
   * body are redacted from it); `Status.PROTOCOL_ERROR` for an answer that is
   * not JSON.
   *
   * The answer is the decoded JSON, or undefined when it had no body.
   */
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
  /**
   * Fetches an access token now (or reuses the cached one), so that bad
   * credentials fail here rather than at the first call. With a static access
   * token there is nothing to check and it returns at once.
   *
   * Errors: `Status.AUTH_ERROR` when the token endpoint refuses the client id
   * and secret; `Status.TRANSPORT_ERROR` or `Status.TIMEOUT` when it cannot be
   * reached in time.
   *
   * @example
   * await client.authenticate();
   */
  authenticate(options?: CallOptions): Promise<void>;
  /**
   * Makes `userName` the owner of public account `appUserId` of application
   * `appId`, replacing any previous owner, and returns the public account's
   * account id. Binding the same owner again is harmless, so the call is
   * retried like a read.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `appUserId` (`APP.ACCOUNT.0047`), before anything is sent;
   * `Status.API_ERROR` with `APP.0001` (no such application) or
   * `APP.ACCOUNT.0038` (no such public account).
   *
   * @example
   * assert.equal(await client.bindPublicAccountOwner('demo-app', 'pub-2', 'zhangsan'), 'pub-2');
   */
  bindPublicAccountOwner(appId: string, appUserId: string, userName: string, options?: CallOptions): Promise<string>;
  /**
   * Returns the owner of public account `appUserId` of application `appId`: the
   * user's id and name and whether the user is disabled.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `appUserId` (`APP.ACCOUNT.0047`), before anything is sent;
   * `Status.API_ERROR` with `APP.ACCOUNT.0038` (no such public account) or
   * `APP.ACCOUNT.0037` (the account has no owner).
   *
   * @example
   * const owner = await client.getPublicAccountOwner('demo-app', 'pub-1');
   * assert.equal(owner.userName, 'zhangsan');
   */
  getPublicAccountOwner(appId: string, appUserId: string, options?: CallOptions): Promise<Owner>;
  /**
   * Binds the owner of every item (an `appId`, `appUserId` and `userName`) with
   * at most `concurrency` calls in flight (the library's default is 8, the most
   * 64) and returns one result per item, in input order: the account id, or the
   * item's own error. One item's failure never stops the others.
   *
   * Errors: Each item's result carries the errors of `bindPublicAccountOwner`;
   * items not started when the job is cancelled fail with `Status.CANCELLED`.
   *
   * `concurrency` (an integer) 0 or absent means the library's default, 8. A
   * field C cannot carry refuses the whole job, naming the item and field.
   *
   * @example
   * const results = await client.bindPublicAccountOwners([
   *   { appId: 'demo-app', appUserId: 'pub-1', userName: 'cq04130006' },
   *   { appId: 'demo-app', appUserId: 'no-such', userName: 'lisi' },
   * ]);
   * assert.equal(results[0].accountId, 'pub-1');
   * assert.equal(results[1].error.code, 'APP.ACCOUNT.0038');
   */
  bindPublicAccountOwners(items: BindItem[], options?: CallOptions & { concurrency?: number }): Promise<BindResult[]>;

  /**
   * Creates a public (shared) account named `accountName` in application
   * `appId`, with the optional fields given, and returns its account id. It is
   * not retried once the request may have reached the service: a second create
   * would make a second account.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `accountName` (`APP.ACCOUNT.0001`), before anything is sent;
   * `Status.API_ERROR` with `APP.0001` (no such application) or `APP.ORG.0024`
   * (no such organization code); `Status.TRANSPORT_ERROR` or `Status.TIMEOUT`
   * when the answer was lost, and then the account may exist (list the accounts
   * to find out).
   *
   * @example
   * const id = await client.createPublicAccount('demo-app', 'shared-mailbox');
   * assert.equal((await client.getAccount('demo-app', id)).accountType, 'PUBLIC_ACCOUNT');
   */
  createPublicAccount(appId: string, accountName: string, fields?: AccountFields & CallOptions): Promise<string>;
  /**
   * Creates a compliance (basic) account of user `userId` in application
   * `appId`, with the optional fields given, and returns its account id.
   * Without an `accountName` the service names it after the user. Retried as
   * `createPublicAccount` is.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `userId`, before anything is sent; `Status.API_ERROR` with `APP.0001` (no
   * such application), `USER.0001` (no such user) or `APP.ORG.0024` (no such
   * organization code); `Status.TRANSPORT_ERROR` or `Status.TIMEOUT` when the
   * answer was lost, and then the account may exist.
   *
   * @example
   * const userId = '20220331164602949-904C-D475B60AE'; // zhangsan
   * const id = await client.createBasicAccount('demo-app', userId);
   * assert.equal((await client.getAccount('demo-app', id)).accountName, 'zhangsan');
   */
  createBasicAccount(appId: string, userId: string, fields?: BasicAccountFields & CallOptions): Promise<string>;
  /**
   * Creates an orphan account (one with no user) named `accountName` in
   * application `appId`, with the optional fields given, and returns its
   * account id. Retried as `createPublicAccount` is.
   *
   * Errors: As `createPublicAccount`: `Status.INVALID_ARGUMENT` for an empty
   * `appId` or `accountName`; `Status.API_ERROR` with `APP.0001` or
   * `APP.ORG.0024`; `Status.TRANSPORT_ERROR` or `Status.TIMEOUT` when the
   * answer was lost, and then the account may exist.
   *
   * @example
   * const id = await client.createOrphanAccount('demo-app', 'build-bot', { name: 'Build bot' });
   * assert.equal((await client.getAccount('demo-app', id)).name, 'Build bot');
   */
  createOrphanAccount(appId: string, accountName: string, fields?: AccountFields & CallOptions): Promise<string>;
  /**
   * Gives the users named `userNames` access to public account `appUserId` of
   * application `appId` and returns the account's id. Adding a member again is
   * harmless, so the call is retried like a read.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `userNames`, an empty name
   * in it, or an empty `appId` or `appUserId`, before anything is sent;
   * `Status.API_ERROR` with `APP.0001` (no such application) or
   * `APP.ACCOUNT.0038` (no such public account).
   *
   * @example
   * assert.equal(await client.addPublicAccountUsers('demo-app', 'pub-2', ['zhangsan', 'lisi']), 'pub-2');
   */
  addPublicAccountUsers(appId: string, appUserId: string, userNames: string[], options?: CallOptions): Promise<string>;
  /**
   * Takes access to public account `appUserId` of application `appId` away from
   * the users named `userNames` and returns the account's id. Retried like a
   * read, as `addPublicAccountUsers` is.
   *
   * Errors: As `addPublicAccountUsers`: `Status.INVALID_ARGUMENT` for an empty
   * `userNames` or id; `Status.API_ERROR` with `APP.0001` or
   * `APP.ACCOUNT.0038`.
   *
   * @example
   * assert.equal(await client.removePublicAccountUsers('demo-app', 'pub-1', ['cq04130006']), 'pub-1');
   */
  removePublicAccountUsers(appId: string, appUserId: string, userNames: string[], options?: CallOptions): Promise<string>;
  /**
   * Returns one page of the members of public account `appUserId` of
   * application `appId`: page `page` (from 0) of `pageSize` users (10 to 100),
   * with the list's total.
   *
   * Errors: `Status.INVALID_ARGUMENT` for a `pageSize` outside 10 to 100 or an
   * empty id, before anything is sent; `Status.API_ERROR` with
   * `APP.ACCOUNT.0038` (no such public account).
   *
   * @example
   * const page = await client.listPublicAccountUsers('demo-app', 'pub-1', { pageSize: 10 });
   * assert.equal(page.total, 2);
   */
  listPublicAccountUsers(appId: string, appUserId: string, options?: PageOptions & CallOptions): Promise<Page<AccountUser>>;
  /**
   * Walks every member of public account `appUserId` of application `appId`,
   * fetching a page of `pageSize` users when it is needed. The walk stops after
   * the list's total or at an empty page.
   *
   * Errors: Each step fails as `listPublicAccountUsers` does, and with
   * `Status.PROTOCOL_ERROR` when the service repeats a page (a walk that would
   * never end).
   *
   * The generator's pager is freed at the end, on `break`/`return()`, on an
   * error, with the client's close(), or once collected.
   *
   * For `for await`: nothing is sent before the first step, nothing after a
   * `break`. Arguments are checked when the iterator is made (a TypeError is
   * thrown there); a failed page (a bad `pageSize`, a service that repeats a
   * page, an aborted `signal`) rejects the step that meets it.
   *
   * @example
   * const names = [];
   * for await (const user of client.publicAccountUsers('demo-app', 'pub-1')) names.push(user.userName);
   * assert.deepEqual(names, ['zhangsan', 'cq04130006']);
   */
  publicAccountUsers(appId: string, appUserId: string, options?: { pageSize?: number } & CallOptions): AsyncGenerator<AccountUser, void, undefined>;
  /**
   * Returns account `accountId` of application `appId`: its names, type,
   * organization, state and custom attributes (`extension`).
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` (`APP.0006`) or
   * `accountId` (`APP.ACCOUNT.0047`), before anything is sent;
   * `Status.API_ERROR` with `APP.ACCOUNT.0028` (no such account).
   *
   * @example
   * const account = await client.getAccount('demo-app', 'pub-1');
   * assert.equal(account.accountType, 'PUBLIC_ACCOUNT');
   */
  getAccount(appId: string, accountId: string, options?: CallOptions): Promise<Account>;
  /**
   * Returns one page of the accounts of application `appId`, of one
   * `accountType` (`BASIC_ACCOUNT`, `ORPHAN_ACCOUNT`, `PUBLIC_ACCOUNT`) or of
   * every type: page `page` (from 0) of `pageSize` accounts (10 to 100), with
   * the list's total.
   *
   * Errors: `Status.INVALID_ARGUMENT` for a `pageSize` outside 10 to 100, an
   * empty `appId`, or an unknown `accountType` (`APP.ACCOUNT.0045`), before
   * anything is sent; `Status.API_ERROR` with `APP.0001` (no such application).
   *
   * `accountType` absent or `''` means every type.
   *
   * @example
   * const page = await client.listAccounts('paging-app', { accountType: 'ORPHAN_ACCOUNT', pageSize: 10 });
   * assert.deepEqual([page.total, page.items.length], [83, 10]);
   */
  listAccounts(appId: string, options?: PageOptions & CallOptions & { accountType?: AccountTypeName | '' }): Promise<Page<Account>>;
  /**
   * Walks every account of application `appId` (of one `accountType`, or of
   * every type), fetching a page of `pageSize` accounts when it is needed. The
   * walk stops after the list's total or at an empty page.
   *
   * Errors: Each step fails as `listAccounts` does, and with
   * `Status.PROTOCOL_ERROR` when the service repeats a page (a walk that would
   * never end).
   *
   * `accountType` absent or `''` means every type; otherwise as
   * publicAccountUsers.
   *
   * @example
   * let count = 0;
   * for await (const account of client.accounts('paging-app')) count += account.id ? 1 : 0;
   * assert.equal(count, 250);
   */
  accounts(appId: string, options?: { accountType?: AccountTypeName | ''; pageSize?: number } & CallOptions): AsyncGenerator<Account, void, undefined>;
  /**
   * Updates account `accountId` of application `appId`: `accountName` (which
   * the service requires) and the optional fields given; the others stay as
   * they are. Returns the account's id. Retried like a read (the same update
   * twice leaves the same account).
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId`, `accountId` or
   * `accountName`, before anything is sent; `Status.API_ERROR` with `APP.0001`
   * (no such application), `APP.ACCOUNT.0028` (no such account) or
   * `APP.ORG.0024` (no such organization code).
   *
   * @example
   * await client.updateAccount('demo-app', 'pub-1', 'pub-1', { name: 'Team mailbox' });
   * assert.equal((await client.getAccount('demo-app', 'pub-1')).name, 'Team mailbox');
   */
  updateAccount(appId: string, accountId: string, accountName: string, fields?: AccountFields & CallOptions): Promise<string>;
  /**
   * Disables account `accountId` of application `appId` and returns its id.
   * Retried like a read.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` or `accountId`,
   * before anything is sent; `Status.API_ERROR` with `APP.ACCOUNT.0028` (no
   * such account).
   *
   * @example
   * await client.disableAccount('demo-app', 'pub-1');
   * assert.equal((await client.getAccount('demo-app', 'pub-1')).disabled, true);
   */
  disableAccount(appId: string, accountId: string, options?: CallOptions): Promise<string>;
  /**
   * Enables account `accountId` of application `appId` and returns its id.
   * Retried like a read.
   *
   * Errors: As `disableAccount`: `Status.INVALID_ARGUMENT` for an empty id;
   * `Status.API_ERROR` with `APP.ACCOUNT.0028` (no such account).
   *
   * @example
   * assert.equal(await client.enableAccount('demo-app', 'pub-1'), 'pub-1');
   */
  enableAccount(appId: string, accountId: string, options?: CallOptions): Promise<string>;
  /**
   * Deletes account `accountId` (of any type) of application `appId`. Retried
   * like a read: when an earlier attempt's answer was lost and the retry finds
   * no such account, that attempt deleted it and the call succeeds.
   *
   * Errors: `Status.INVALID_ARGUMENT` for an empty `appId` or `accountId`,
   * before anything is sent; `Status.API_ERROR` with `APP.0001` (no such
   * application) or `APP.ACCOUNT.0028` (no such account).
   *
   * @example
   * await client.deleteAccount('demo-app', 'pub-2');
   * await assert.rejects(client.getAccount('demo-app', 'pub-2'), { code: 'APP.ACCOUNT.0028' });
   */
  deleteAccount(appId: string, accountId: string, options?: CallOptions): Promise<void>;
  /**
   * Sends any management API request: `method` to `path` (relative to the base
   * URL, starting with `/api/`, sent as given) with `query` pairs (encoded) and
   * an optional JSON body, with the client's token, deadline, retries and
   * errors. Returns the answer's JSON, or nothing for an empty answer. It is
   * retried as a typed call is when `idempotent` says so (by default GET, PUT
   * and DELETE are; POST and PATCH only when they certainly did not arrive).
   *
   * Errors: `Status.INVALID_ARGUMENT` for an unknown `method` or a `path` not
   * under `/api/`, before anything is sent; `Status.API_ERROR` with the
   * service's code for an error answer (the values of `password` keys in the
   * body are redacted from it); `Status.PROTOCOL_ERROR` for an answer that is
   * not JSON.
   *
   * The answer is the decoded JSON, or undefined when it had no body.
   *
   * @example
   * const answer = await client.request('GET', '/api/v2/tenant/applications/demo-app/accounts/pub-1');
   * assert.equal(answer.account_type, 'PUBLIC_ACCOUNT');
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
