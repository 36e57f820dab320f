// wshub JavaScript client: one dependency-free ES module for browsers and Node 20+.
//
//   import { connect } from '/client/wshub.js';
//   const hub = connect('/ws', { getToken: () => fetchToken() });
//   hub.on('chat/message', (data) => render(data));
//   hub.join('room:1');
//   const reply = await hub.request('chat/room', { room: 'room:1', text: 'hi' });
//
// Contract (see wshub.d.ts for the typed surface):
// - Every (re)connect calls getToken() (may be async) and passes it as query `token=`.
// - Tags joined with join() are re-joined after every reconnect, before queued sends flush.
// - On targets with history (docs/history.md) the client tracks each stream's position, sends
//   it on reconnect (inbox in the URL, tags in the re-join) and so gets what it missed, exactly
//   once and in order; 'recovered' says whether nothing was lost, 'gap' reports an offset jump
//   on the live path (the client then recovers that stream by itself).
// - While offline, send()/request() go into a bounded queue that flushes on the next open.
// - Reconnects use exponential backoff with full jitter, capped at backoff.max; a connection
//   that stayed open resetAfter ms resets it, except after 4008/4029 (the server shed load).
//   Close codes 4000
//   (kicked) and 1008 (policy) stop reconnecting until the app calls reconnect(); 4001
//   (token expired) reconnects at once with a fresh token from getToken().
// - A heartbeat ping goes out after heartbeatInterval ms without inbound traffic; no answer
//   within heartbeatTimeout ms drops the socket and reconnects.

/** Close codes from the wshub wire protocol (docs/protocol.md §1). */
export const CloseCode = Object.freeze({
  NORMAL: 1000, GOING_AWAY: 1001, POLICY: 1008, TOO_BIG: 1009,
  KICKED: 4000, TOKEN_EXPIRED: 4001, SLOW_CONSUMER: 4008, RATE_LIMITED: 4029,
  HEARTBEAT_TIMEOUT: 4408,
});

/** Closes after which reconnecting would only repeat the refusal: wait for the app. */
const NO_RECONNECT = new Set([CloseCode.KICKED, CloseCode.POLICY]);

const DEFAULTS = Object.freeze({
  codec: 'json',
  tokenParam: 'token',
  // 20 s: below the server's 25 s ping and well inside its 60 s idle timeout.
  heartbeatInterval: 20000,
  heartbeatTimeout: 10000,
  requestTimeout: 10000,
  queueLimit: 100,
  // Refresh a JWT this long before its `exp` (needs getToken); 0 turns it off.
  refreshBeforeExpiry: 30000,
  reconnect: true,
  // Track stream positions and recover missed messages on reconnect (docs/history.md).
  recover: true,
  // jitter 1 = full jitter: a delay is uniform in [0, base], so clients that dropped together
  // (a node died) spread over the whole window instead of its upper half.
  backoff: { initial: 500, max: 30000, factor: 2, jitter: 1, resetAfter: 5000 },
});

/** Closes that mean "the server is overloaded": the attempt count keeps growing across them. */
const LOAD_SHED = new Set([CloseCode.SLOW_CONSUMER, CloseCode.RATE_LIMITED]);

/** setTimeout's largest delay; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An error from the server (numeric `code`, docs/protocol.md §1.3) or from the client (string `code`). */
export class WsHubError extends Error {
  constructor(message, code, event) {
    super(message);
    this.name = 'WsHubError';
    this.code = code;
    this.event = event;
  }
}

/** Wire formats: encode(event, data, seqno) -> text; decode(object) -> normalized message. */
export const codecs = Object.freeze({
  json: {
    encode: (event, data, seqno) => JSON.stringify({ event, data, seqno }),
    decode: (m) => ({ event: m.event, code: m.code ?? 0, message: m.errorMsg,
      data: m.data, seqno: m.seqno, timestamp: m.timestamp, ...streamFields(m) }),
  },
  wsrv: {
    encode: (cmd, data, seqno) => JSON.stringify({ cmd, seqno, data }),
    decode: (m) => ({ event: m.cmd, code: m.status ?? 0, message: m.msg,
      data: m.data, seqno: m.seqno, timestamp: m.timestamp, ...streamFields(m) }),
  },
});

/** The history fields of a message on a target with history (docs/history.md); none elsewhere. */
function streamFields(m) {
  if (typeof m.stream !== 'string') return {};
  const f = { stream: m.stream, offset: m.offset, epoch: m.epoch };
  if (typeof m.recovered === 'boolean') f.recovered = m.recovered;
  return f;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): min(max, initial * factor^attempt),
 * then reduced by up to `jitter` (a fraction) so clients that dropped together spread out.
 * The default jitter 1 is "full jitter": uniform in [0, base].
 */
export function backoffDelay(attempt, backoff = DEFAULTS.backoff, random = Math.random) {
  const b = { ...DEFAULTS.backoff, ...backoff };
  const base = Math.min(b.max, b.initial * Math.pow(b.factor, attempt));
  return Math.round(base * (1 - b.jitter * random()));
}

/** Opens a client and starts connecting. */
export function connect(url, options = {}) {
  return new WsHubClient(url, options).open();
}

export class WsHubClient {
  constructor(url, options = {}) {
    this.url = url;
    this.options = { ...DEFAULTS, ...options, backoff: { ...DEFAULTS.backoff, ...options.backoff } };
    this.codec = typeof this.options.codec === 'string' ? codecs[this.options.codec] : this.options.codec;
    if (!this.codec) throw new Error(`unknown codec ${this.options.codec}`);
    this.WebSocket = options.WebSocket || globalThis.WebSocket;
    if (!this.WebSocket) throw new Error('no WebSocket implementation: pass options.WebSocket (e.g. the ws package)');
    const t = options.timers || {};
    this._setTimeout = t.setTimeout || ((fn, ms) => setTimeout(fn, ms));
    this._clearTimeout = t.clearTimeout || ((id) => clearTimeout(id));
    this._now = t.now || (() => Date.now());
    this._random = options.random || Math.random;

    /** 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' */
    this.state = 'idle';
    this.id = null;
    this.userId = null;
    this.attempt = 0;
    this._handlers = new Map();
    this._tags = new Set();
    this._queue = [];              // encoded-later sends while offline: {event, data, seqno}
    this._pending = new Map();     // seqno -> {resolve, reject, timer, event}
    this._seq = 0;
    this._ws = null;
    this._stopped = true;
    this._kicked = false;
    this._timers = {};             // name -> timer id: reconnect, heartbeat, refresh
    this._positions = new Map();   // stream -> {offset, epoch}: the last message handled
    this._recovering = new Set();  // tag streams re-joined after a gap, until the join reply
    this._inbox = null;            // this user's inbox stream, from `connected`
  }

  /** The position of every stream this client tracks: {stream: {offset, epoch}}. */
  get positions() { return Object.fromEntries([...this._positions].map(([k, v]) => [k, { ...v }])); }

  get tags() { return [...this._tags]; }
  get connected() { return this.state === 'open'; }

  // ---- events ---------------------------------------------------------------------------

  /** Adds a handler; returns a function that removes it. Several handlers per event run in order. */
  on(event, fn) {
    if (!this._handlers.has(event)) this._handlers.set(event, []);
    this._handlers.get(event).push(fn);
    return () => this.off(event, fn);
  }

  /** Removes one handler, or every handler of the event when fn is omitted. */
  off(event, fn) {
    if (!fn) { this._handlers.delete(event); return this; }
    const list = this._handlers.get(event);
    const i = list ? list.indexOf(fn) : -1;
    if (i >= 0) list.splice(i, 1);
    return this;
  }

  once(event, fn) {
    const off = this.on(event, (...args) => { off(); fn(...args); });
    return off;
  }

  _emit(event, ...args) {
    const list = this._handlers.get(event);
    if (!list || list.length === 0) return false;
    for (const fn of [...list]) {
      try { fn(...args); } catch (err) {
        if (event === 'error') console.error('wshub: error handler threw', err);
        else this._emit('error', err);
      }
    }
    return true;
  }

  // ---- sending --------------------------------------------------------------------------

  /** Sends an event without waiting for a reply. Returns false when it was dropped (closed, queue full). */
  send(event, data) {
    return this._submit({ event, data }) !== 'dropped';
  }

  /** Sends an event and resolves with the reply's data, matched by seqno; rejects on code != 0. */
  request(event, data, { timeout = this.options.requestTimeout } = {}) {
    return new Promise((resolve, reject) => {
      const seqno = String(++this._seq);
      const timer = this._setTimeout(() => {
        this._pending.delete(seqno);
        this._unqueue(seqno);
        reject(new WsHubError(`${event}: no reply within ${timeout} ms`, 'TIMEOUT', event));
      }, timeout);
      this._pending.set(seqno, { resolve, reject, timer, event });
      const outcome = this._submit({ event, data, seqno });
      if (outcome === 'dropped') {
        this._settle(seqno, new WsHubError(this._stopped ? 'client is closed' : 'offline queue is full',
          this._stopped ? 'CLOSED' : 'QUEUE_FULL', event));
      }
    });
  }

  /** Joins a tag now and after every reconnect; resolves with this connection's tags. */
  join(tag) {
    this._tags.add(tag);
    const p = this.request('join', this._joinData(tag));
    p.catch((err) => { if (typeof err.code === 'number') this._tags.delete(tag); });
    return p;
  }

  /**
   * Leaves a tag; it is no longer re-joined. Resolves with this connection's tags. A join of
   * the tag still waiting in the offline queue is dropped; its promise rejects with 'CANCELLED'.
   */
  quit(tag) {
    this._tags.delete(tag);
    for (const m of this._queue.filter((q) => q.event === 'join' && q.data && q.data.id === tag)) {
      this._unqueue(m.seqno);
      this._settle(m.seqno, new WsHubError(`join ${tag}: cancelled by quit`, 'CANCELLED', 'join'));
    }
    if (this.state !== 'open') return Promise.resolve(this.tags);
    return this.request('quit', { id: tag });
  }

  _submit(msg) {
    if (this._stopped) return 'dropped';
    if (this.state === 'open' && this._write(msg)) return 'sent';
    // A join is never dropped: the tag is re-joined on open anyway, so its promise must settle.
    if (msg.event !== 'join' && this._queue.filter((m) => m.event !== 'join').length >= this.options.queueLimit) return 'dropped';
    this._queue.push(msg);
    return 'queued';
  }

  _write({ event, data, seqno }) {
    try {
      this._ws.send(this.codec.encode(event, data, seqno));
      return true;
    } catch (err) {
      this._emit('error', err);
      return false;
    }
  }

  _unqueue(seqno) {
    const i = this._queue.findIndex((m) => m.seqno === seqno);
    if (i >= 0) this._queue.splice(i, 1);
  }

  _settle(seqno, err, data) {
    const p = this._pending.get(seqno);
    if (!p) return false;
    this._pending.delete(seqno);
    this._clearTimeout(p.timer);
    if (err) p.reject(err); else p.resolve(data);
    return true;
  }

  // ---- connection lifecycle ---------------------------------------------------------------

  /** Starts (or restarts after close()/kick) connecting. */
  open() {
    this._stopped = false;
    this._kicked = false;
    this.attempt = 0;
    this._clearTimer('reconnect');
    if (!this._ws && !this._connecting) this._connect();
    return this;
  }

  /** Asks for a new connection after a kick, a policy close or close(). */
  reconnect() { return this.open(); }

  /**
   * Resolves on the next 'open' (at once when already open). Rejects with code 'CLOSED' when the
   * client is closed, or closes without reconnecting (close(), kick, policy close), first.
   */
  whenOpen() {
    if (this.state === 'open') return Promise.resolve(this);
    const closed = () => new WsHubError('client closed before it opened', 'CLOSED');
    if (this.state === 'closed') return Promise.reject(closed());
    return new Promise((resolve, reject) => {
      const offOpen = this.on('open', () => { offOpen(); offClose(); resolve(this); });
      const offClose = this.on('close', (info) => {
        if (info.willReconnect) return;
        offOpen(); offClose(); reject(closed());
      });
    });
  }

  /** Closes for good: no reconnect, queued and pending requests fail with code 'CLOSED'. */
  close(code = CloseCode.NORMAL, reason = 'client closed') {
    this._stopped = true;
    for (const name of Object.keys(this._timers)) this._clearTimer(name);
    this._failPending(new WsHubError('client is closed', 'CLOSED'), true);
    const ws = this._ws;
    if (ws) {
      try { ws.close(code, reason); } catch { /* already closing */ }
    } else if (this.state !== 'closed') {
      this.state = 'closed';
      this._emit('close', { code, reason, wasClean: true, willReconnect: false });
    }
  }

  async _connect() {
    this.state = this.attempt === 0 ? 'connecting' : 'reconnecting';
    let url;
    this._connecting = true;
    try {
      url = await this._buildUrl();
    } catch (err) {
      this._emit('error', err);
      this._scheduleReconnect({ code: 0, reason: 'getToken failed' });
      return;
    } finally {
      this._connecting = false;
    }
    if (this._stopped) return;
    let ws;
    try {
      ws = new this.WebSocket(url);
    } catch (err) {
      this._emit('error', err);
      this._scheduleReconnect({ code: 0, reason: String(err && err.message) });
      return;
    }
    this._ws = ws;
    this._openedAt = 0;
    ws.binaryType = 'arraybuffer'; // wsrv pushes binary frames; decoded as UTF-8 JSON below
    ws.onopen = () => this._onOpen(ws);
    ws.onmessage = (e) => this._onMessage(ws, e.data);
    ws.onerror = (e) => { if (this._ws === ws) this._emit('error', e && e.error ? e.error : new Error('websocket error')); };
    ws.onclose = (e) => this._onClose(ws, { code: e.code, reason: e.reason, wasClean: e.wasClean });
  }

  async _buildUrl() {
    const o = this.options;
    const token = o.getToken ? await o.getToken() : o.token;
    this._token = token || null;
    const base = globalThis.location ? globalThis.location.href : undefined;
    const u = new URL(this.url, base);
    if (u.protocol === 'http:') u.protocol = 'ws:';
    if (u.protocol === 'https:') u.protocol = 'wss:';
    if (token) u.searchParams.set(o.tokenParam, token);
    const inbox = o.recover && this._inbox && this._positions.get(this._inbox);
    if (inbox) {
      u.searchParams.set('since', String(inbox.offset));
      u.searchParams.set('epoch', inbox.epoch);
    }
    return u.toString();
  }

  /** A join's data: with `since` when the tag's stream position is known, to recover what was missed. */
  _joinData(tag) {
    const at = this.options.recover && this._positions.get(`tag:${tag}`);
    return at ? { id: tag, since: { offset: at.offset, epoch: at.epoch } } : { id: tag };
  }

  /**
   * A `connected` event or a `join` reply with a stream position. Not recovered (another
   * epoch, or a gap larger than the stream keeps): the app should reload that state; the
   * position moves to the stream's top.
   */
  _onPosition(msg) {
    const mine = this._positions.get(msg.stream);
    this._recovering.delete(msg.stream);
    if (msg.event === 'connected') this._inbox = msg.stream;
    if (!mine || msg.recovered === false || msg.recovered === undefined && mine.epoch !== msg.epoch) {
      this._positions.set(msg.stream, { offset: msg.offset, epoch: msg.epoch });
    }
    if (typeof msg.recovered === 'boolean') {
      this._emit('recovered', { stream: msg.stream, recovered: msg.recovered, offset: msg.offset, epoch: msg.epoch });
    }
  }

  /** A push with a position: false when it must not reach the handlers (a duplicate, or a gap being recovered). */
  _onPositionedPush(msg) {
    const at = this._positions.get(msg.stream);
    if (!at || at.epoch !== msg.epoch) {
      this._positions.set(msg.stream, { offset: msg.offset, epoch: msg.epoch });
      return true;
    }
    if (msg.offset <= at.offset) return false; // already handled
    if (this._recovering.has(msg.stream)) return false; // the re-join replays it in order
    if (msg.offset > at.offset + 1) {
      this._emit('gap', { stream: msg.stream, from: at.offset, to: msg.offset });
      if (this.options.recover) {
        this._recoverGap(msg.stream);
        return false;
      }
    }
    at.offset = msg.offset;
    return true;
  }

  /** A tag: re-join from the last position; the inbox: reconnect, which sends its position. */
  _recoverGap(stream) {
    if (stream.startsWith('tag:') && this._tags.has(stream.slice(4))) {
      this._recovering.add(stream);
      this.request('join', this._joinData(stream.slice(4))).catch((err) => {
        this._recovering.delete(stream);
        this._emit('error', err);
      });
    } else if (stream === this._inbox) {
      this._drop(CloseCode.NORMAL, 'recovering the inbox');
    }
  }

  _onOpen(ws) {
    if (ws !== this._ws) return;
    this.state = 'open';
    this._openedAt = this._now();
    this._lastRx = this._openedAt;
    this._pingSeq = null;
    this._armHeartbeat(this.options.heartbeatInterval);
    this._armRefresh();
    const queued = this._queue.splice(0);
    const joinQueued = new Set(queued.filter((m) => m.event === 'join').map((m) => m.data.id));
    for (const tag of this._tags) {
      if (!joinQueued.has(tag)) this.request('join', this._joinData(tag)).catch((err) => this._emit('error', err));
    }
    for (const msg of queued) this._write(msg);
    this._emit('open', { attempt: this.attempt });
  }

  _onMessage(ws, raw) {
    if (ws !== this._ws) return;
    this._lastRx = this._now();
    if (typeof raw !== 'string') raw = new TextDecoder().decode(raw);
    if (raw.length === 0) return; // wsrv heartbeat frame
    let msg;
    try {
      msg = this.codec.decode(JSON.parse(raw));
    } catch (err) {
      this._emit('error', new WsHubError(`unparseable message: ${raw.slice(0, 100)}`, 'BAD_MESSAGE'));
      return;
    }
    if (msg.stream && msg.code === 0) {
      if (msg.event === 'connected' || (msg.event === 'join' && msg.seqno)) this._onPosition(msg);
      else if (!this._onPositionedPush(msg)) return;
    }
    if (msg.seqno && this._pending.has(msg.seqno)) {
      const err = msg.code === 0 ? null : new WsHubError(msg.message || `error ${msg.code}`, msg.code, msg.event);
      this._settle(msg.seqno, err, msg.data);
      return;
    }
    if (msg.code !== 0) {
      this._emit('error', new WsHubError(msg.message || `error ${msg.code}`, msg.code, msg.event));
      return;
    }
    if (msg.event === 'connected' && msg.data) {
      this.id = msg.data.id ?? null;
      this.userId = msg.data.userId ?? null;
    }
    if (msg.event === 'kick') this._kicked = true;
    this._emit(msg.event, msg.data, msg);
    this._emit('message', msg);
  }

  _onClose(ws, info) {
    if (ws !== this._ws) return;
    this._ws = null;
    this._clearTimer('heartbeat');
    this._clearTimer('refresh');
    this._failPending(new WsHubError('connection lost before the reply', 'DISCONNECTED'), false);
    const wasOpen = this.state === 'open';
    if (info.code === CloseCode.KICKED && !this._kicked) {
      this._kicked = true;
      this._emit('kick', { reason: info.reason || 'kicked' }, null);
    }
    // 4008/4029 shed load: resetting would have every shed client back within the first window.
    if (wasOpen && !LOAD_SHED.has(info.code)
      && this._now() - this._openedAt >= this.options.backoff.resetAfter) this.attempt = 0;
    const willReconnect = this._shouldReconnect(info.code);
    this.state = willReconnect ? 'reconnecting' : 'closed';
    this._emit('close', { ...info, willReconnect });
    if (willReconnect) this._scheduleReconnect(info);
  }

  _shouldReconnect(code) {
    if (this._stopped || !this.options.reconnect || this._kicked) return false;
    if (NO_RECONNECT.has(code)) return false;
    // An expired static token would only be refused again: reconnect needs getToken.
    if (code === CloseCode.TOKEN_EXPIRED) return !!this.options.getToken;
    return true;
  }

  _scheduleReconnect(info) {
    if (this._stopped) return;
    this.state = 'reconnecting';
    // Token expiry after a good connection is not a failure: reconnect at once with a fresh
    // token. A second one in a row (getToken hands out stale tokens) backs off like any other.
    const delay = info.code === CloseCode.TOKEN_EXPIRED && this.attempt === 0 ? 0
      : backoffDelay(this.attempt, this.options.backoff, this._random);
    this.attempt += 1;
    this._emit('reconnecting', { attempt: this.attempt, delay, code: info.code, reason: info.reason });
    this._setTimer('reconnect', delay, () => this._connect());
  }

  /** Drops a socket that stopped answering without waiting for a closing handshake. */
  _drop(code, reason) {
    const ws = this._ws;
    if (!ws) return;
    try {
      if (typeof ws.terminate === 'function') ws.terminate(); else ws.close(code, reason);
    } catch { /* ignore */ }
    this._onClose(ws, { code, reason, wasClean: false });
  }

  _failPending(err, includeQueued) {
    const queuedSeqnos = new Set(this._queue.map((m) => m.seqno).filter(Boolean));
    for (const seqno of [...this._pending.keys()]) {
      if (includeQueued || !queuedSeqnos.has(seqno)) this._settle(seqno, err);
    }
    if (includeQueued) this._queue.length = 0;
  }

  // ---- heartbeat and token refresh --------------------------------------------------------

  _armHeartbeat(delay) {
    if (!(this.options.heartbeatInterval > 0)) return;
    this._setTimer('heartbeat', delay, () => this._heartbeat());
  }

  _heartbeat() {
    const o = this.options;
    const now = this._now();
    const idle = now - this._lastRx;
    if (this._pingSentAt != null && this._lastRx < this._pingSentAt) {
      if (now - this._pingSentAt >= o.heartbeatTimeout) {
        this._pingSentAt = null;
        this._drop(CloseCode.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
        return;
      }
      this._armHeartbeat(this._pingSentAt + o.heartbeatTimeout - now);
      return;
    }
    this._pingSentAt = null;
    if (idle < o.heartbeatInterval) { this._armHeartbeat(o.heartbeatInterval - idle); return; }
    this._pingSentAt = now;
    this._write({ event: 'ping', seqno: String(++this._seq) });
    this._armHeartbeat(o.heartbeatTimeout);
  }

  _armRefresh() {
    const o = this.options;
    const exp = jwtExpiry(this._token);
    if (!o.getToken || !o.refreshBeforeExpiry || !exp) return;
    const wait = exp - o.refreshBeforeExpiry - this._now();
    // A far exp (> 24.8 days) would overflow setTimeout into a 1 ms timer: wait the longest
    // a timer can, then look again.
    if (wait > MAX_TIMER_MS) { this._setTimer('refresh', MAX_TIMER_MS, () => this._armRefresh()); return; }
    this._setTimer('refresh', Math.max(1000, wait), async () => {
      try {
        const token = await o.getToken();
        await this.request('refresh', { token });
        this._token = token;
        // A token no later than the old one (getToken caches it) would be refreshed again
        // every second until it expires: stop; the server's 4001 reconnects with a fresh one.
        const next = jwtExpiry(token);
        if (next && next > exp) this._armRefresh();
      } catch (err) {
        this._emit('error', err); // the server will close with 4001; we reconnect then
      }
    });
  }

  _setTimer(name, ms, fn) {
    this._clearTimer(name);
    this._timers[name] = this._setTimeout(() => { delete this._timers[name]; fn(); }, ms);
  }

  _clearTimer(name) {
    if (this._timers[name] !== undefined) {
      this._clearTimeout(this._timers[name]);
      delete this._timers[name];
    }
  }
}

/** The `exp` of a JWT in epoch ms, or null when it is not a readable JWT. */
export function jwtExpiry(token) {
  if (typeof token !== 'string') return null;
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = typeof atob === 'function' ? atob(b64) : Buffer.from(b64, 'base64').toString('binary');
    const exp = JSON.parse(json).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

export default { connect, WsHubClient, WsHubError, CloseCode, codecs, backoffDelay, jwtExpiry };
