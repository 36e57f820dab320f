// Type declarations for wshub.js, the wshub JavaScript client.

/** Close codes from the wshub wire protocol. */
export declare const CloseCode: Readonly<{
  NORMAL: 1000; GOING_AWAY: 1001; POLICY: 1008; TOO_BIG: 1009;
  KICKED: 4000; TOKEN_EXPIRED: 4001; SLOW_CONSUMER: 4008; RATE_LIMITED: 4029;
  HEARTBEAT_TIMEOUT: 4408;
}>;

/** A message from the server, the same shape for both codecs. */
export interface WsHubMessage<T = unknown> {
  event: string;
  /** 0 = success; otherwise the protocol's error code (docs/protocol.md §1.3) (400, 401, 403, 404, 413, 429, 500, -1). */
  code: number;
  /** errorMsg (json codec) or msg (wsrv codec). */
  message?: string;
  data?: T;
  seqno?: string;
  /** Unix seconds (json codec). */
  timestamp?: number;
  /** On targets with history (docs/history.md): `tag:<tag>` or `user:<id>`. */
  stream?: string;
  /** Position of this message (pushes) or the stream's top (`connected`, `join` replies). */
  offset?: number;
  epoch?: string;
  /** On `connected` and `join` replies that asked to recover: false = something was lost, reload that state. */
  recovered?: boolean;
}

/** A place in a history stream. */
export interface StreamPosition {
  offset: number;
  epoch: string;
}

export interface RecoveredInfo extends StreamPosition {
  stream: string;
  /** false: another epoch or a gap larger than the stream keeps; the app should reload that state. */
  recovered: boolean;
}

export interface GapInfo {
  stream: string;
  /** The last offset handled before the jump. */
  from: number;
  /** The offset that arrived; with `recover` on, the client recovers from `from` by itself. */
  to: number;
}

export interface Codec {
  encode(event: string, data: unknown, seqno?: string): string;
  decode(wire: any): WsHubMessage;
}
export declare const codecs: Readonly<{ json: Codec; wsrv: Codec }>;

/**
 * Server errors carry the numeric code of docs/protocol.md §1.3; client-side failures a string code:
 * 'TIMEOUT', 'QUEUE_FULL', 'CLOSED', 'DISCONNECTED', 'BAD_MESSAGE', 'CANCELLED'.
 */
export declare class WsHubError extends Error {
  code: number | 'TIMEOUT' | 'QUEUE_FULL' | 'CLOSED' | 'DISCONNECTED' | 'BAD_MESSAGE' | 'CANCELLED';
  event?: string;
}

export interface BackoffOptions {
  /** First reconnect delay in ms (default 500). */
  initial?: number;
  /** Upper bound of any delay in ms (default 30000). */
  max?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction by which a delay is randomly shortened, 0..1 (default 1: full jitter, uniform in [0, base]). */
  jitter?: number;
  /** A connection that stayed open this long (ms) resets the attempt count (default 5000); not after 4008/4029. */
  resetAfter?: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  now(): number;
}

export interface ConnectOptions {
  /** A fixed token, sent as query `token=`. */
  token?: string;
  /** Called on every (re)connect; may be async. Needed to recover from close 4001. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Query parameter name for the token (default 'token'). */
  tokenParam?: string;
  /** WebSocket implementation; defaults to globalThis.WebSocket (pass `ws` in Node 20). */
  WebSocket?: any;
  /** Wire codec (default 'json'). */
  codec?: 'json' | 'wsrv' | Codec;
  /** Idle ms before a ping is sent (default 20000; 0 turns the heartbeat off). */
  heartbeatInterval?: number;
  /** Ms to wait for any inbound traffic after a ping before reconnecting (default 10000). */
  heartbeatTimeout?: number;
  /** Default request() timeout in ms (default 10000). */
  requestTimeout?: number;
  /** Most messages kept while offline (default 100); send() returns false past it. */
  queueLimit?: number;
  /** Send event `refresh` with a fresh getToken() this many ms before the JWT's exp (default 30000, 0 = off). */
  refreshBeforeExpiry?: number;
  /** Reconnect after unexpected closes (default true). */
  reconnect?: boolean;
  /** Track history stream positions and recover what was missed on reconnect (default true; docs/history.md). */
  recover?: boolean;
  backoff?: BackoffOptions;
  /** Injected clock and timers, for tests. */
  timers?: Partial<Timers>;
  /** Injected random source in [0, 1), for tests. */
  random?: () => number;
}

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  willReconnect: boolean;
}

export interface ReconnectingInfo {
  attempt: number;
  delay: number;
  code: number;
  reason: string;
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export declare class WsHubClient {
  constructor(url: string, options?: ConnectOptions);
  readonly url: string;
  readonly state: ClientState;
  /** Server client id from the `connected` event. */
  readonly id: string | null;
  /** User id from the `connected` event (null for anonymous). */
  readonly userId: string | null;
  /** Reconnect attempts since the last stable connection. */
  readonly attempt: number;
  readonly connected: boolean;
  /** Tags re-joined after every reconnect. */
  readonly tags: string[];
  /** The position of every tracked history stream, by stream name. */
  readonly positions: Record<string, StreamPosition>;

  on(event: 'open', fn: (info: { attempt: number }) => void): () => void;
  on(event: 'close', fn: (info: CloseInfo) => void): () => void;
  on(event: 'reconnecting', fn: (info: ReconnectingInfo) => void): () => void;
  on(event: 'error', fn: (err: Error) => void): () => void;
  on(event: 'kick', fn: (data: { reason: string }, msg: WsHubMessage | null) => void): () => void;
  on(event: 'connected', fn: (data: { id: string; userId: string | null }, msg: WsHubMessage) => void): () => void;
  on(event: 'message', fn: (msg: WsHubMessage) => void): () => void;
  /** A reconnect or re-join asked to recover a stream; `recovered` says whether nothing was lost. */
  on(event: 'recovered', fn: (info: RecoveredInfo) => void): () => void;
  /** An offset jump on the live path (a dropped message); recovered automatically with `recover` on. */
  on(event: 'gap', fn: (info: GapInfo) => void): () => void;
  on<T = any>(event: string, fn: (data: T, msg: WsHubMessage<T>) => void): () => void;
  once(event: string, fn: (...args: any[]) => void): () => void;
  off(event: string, fn?: (...args: any[]) => void): this;

  /** Fire and forget; false when dropped (closed or offline queue full). */
  send(event: string, data?: unknown): boolean;
  /** Resolves with the reply data; rejects with WsHubError (code != 0, timeout, queue full, closed). */
  request<T = any>(event: string, data?: unknown, options?: { timeout?: number }): Promise<T>;
  join(tag: string): Promise<string[]>;
  /** Leaves a tag; a join of it still queued offline is dropped and rejects with code 'CANCELLED'. */
  quit(tag: string): Promise<string[]>;

  open(): this;
  /** Reconnects after a kick, a policy close or close(). */
  reconnect(): this;
  /** Resolves on the next open; rejects with code 'CLOSED' if the client closes without reconnecting first. */
  whenOpen(): Promise<this>;
  close(code?: number, reason?: string): void;
}

export declare function connect(url: string, options?: ConnectOptions): WsHubClient;
export declare function backoffDelay(attempt: number, backoff?: BackoffOptions, random?: () => number): number;
export declare function jwtExpiry(token: string | null | undefined): number | null;

declare const _default: {
  connect: typeof connect;
  WsHubClient: typeof WsHubClient;
  WsHubError: typeof WsHubError;
  CloseCode: typeof CloseCode;
  codecs: typeof codecs;
  backoffDelay: typeof backoffDelay;
  jwtExpiry: typeof jwtExpiry;
};
export default _default;
