// The few host calls the module makes in JS (issue 13): the HTTP transport (fetch, its deadline, the merchant's
// AbortSignal and a capped body read) and the cross-tab Web Lock of an order are a few lines here and kilobytes of
// wasm (async state machines, a dozen imports each). What to send, what an answer means and every decision stay in
// Rust (src/web/http.rs, src/web/order_lock.rs). Also the hidden form of every POST to the ACS, the session
// storage of the resume state, the frames' construction, the raw browser facts and challenge area that
// src/web/browser.rs and src/web/challenge.rs turn into 3DS data and a window size, and the waits' listeners and
// timers (`Watch`, whose facts src/web/signals.rs reads). Imported by wasm-bindgen's glue
// (scripts/bundle-glue.mjs inlines it into the glue pages load; the bundler and Node builds import it as a file).
// Every function here takes or returns something wasm-bindgen converts (a string, an object, an Option): one with
// numbers only (a bool too) is imported by the wasm straight from this module, and the glue then hands the whole
// module's namespace object to the wasm (+270 B gzip measured; framesBlocked therefore returns a JsValue).

// How a request failed, as src/web/http.rs reads it: an HTTP status, or one of these.
const ABORTED = -1;
const TIMEOUT = -2;
const NETWORK = -3;
const BAD = -4;

// fetch with a deadline and the merchant's signal. `run(response)` reads the answer while both still apply.
async function request(url, init, ms, signal, run) {
  if (signal?.aborted) throw ABORTED;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, Math.min(ms, 2147483647));
  const forward = () => controller.abort();
  signal?.addEventListener('abort', forward);
  // The deadline and the merchant's abort end the wait themselves: a page's fetch may ignore the signal (a polyfill
  // without abort, a wrapper that rebuilds the options), and a gateway may never answer.
  const stopped = new Promise((_, reject) => controller.signal.addEventListener('abort', reject));
  try {
    return await Promise.race([fetch(url, { ...init, signal: controller.signal }).then((r) => run(r, controller.signal)), stopped]);
  } catch (e) {
    throw signal?.aborted ? ABORTED : timedOut ? TIMEOUT : typeof e == 'number' ? e : NETWORK;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
    // A request never outlives its answer (a body left unread, a read refused).
    controller.abort();
  }
}

// POSTs `body` and resolves to the answer's text (UTF-8, at most `cap` bytes); rejects with a code above.
export function postText(url, contentType, body, ms, signal, cap) {
  const init = {
    method: 'POST',
    headers: { 'Content-Type': contentType, Accept: 'application/json' },
    body,
    // No cookies: the token authenticates; nothing about the shopper's session goes to the gateway.
    credentials: 'omit',
  };
  return request(url, init, ms, signal, async (response, stop) => {
    if (!(response instanceof Response)) throw NETWORK;
    if (!response.ok) throw response.status;
    if (+response.headers.get('Content-Length') > cap) throw BAD;
    const chunks = [];
    let size = 0;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        // Past the deadline or the abort (a fetch that ignores the signal keeps its body coming): stop reading.
        if (size > cap || stop.aborted) {
          reader.cancel().catch(() => {});
          throw BAD;
        }
        chunks.push(value);
      }
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) bytes.set(c, (at += c.length) - c.length);
    try {
      // A leading UTF-8 byte order mark is dropped (RFC 8259 lets a JSON reader ignore it).
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw BAD;
    }
  });
}

// A same-origin HEAD of `url`: its X-Frame-Options and Content-Security-Policy headers (null when absent), or
// null when the probe failed. A page whose server refuses HEAD (405, 501: a route that only knows GET) says nothing
// of its framing that way, so it is asked with a GET, whose body is never read (request() aborts it).
export function frameHeaders(url, ms) {
  const probe = (method) => request(url, { method, credentials: 'same-origin' }, ms, null, (r) => r);
  return probe('HEAD')
    .then((r) => (r.status == 405 || r.status == 501 ? probe('GET') : r))
    .then((r) => [r.headers.get('X-Frame-Options'), r.headers.get('Content-Security-Policy')], () => null);
}

// The Web Lock named `name` (navigator.locks, every tab and worker of the origin), if it is free: resolves to the
// function that releases it, to false when another tab or worker holds it, or to true when the host has no Web
// Locks or refuses the request (then only the page-level guard holds).
export function lockAcrossTabs(name) {
  return new Promise((resolve) => {
    try {
      const locks = globalThis.navigator?.locks;
      if (typeof locks?.request != 'function') return resolve(true);
      // The lock lasts until the promise the callback returns settles: when the guard calls `release`.
      locks.request(name, { ifAvailable: true }, (lock) => (lock ? new Promise((release) => resolve(release)) : resolve(false))).catch(() => resolve(true));
    } catch {
      resolve(true);
    }
  });
}

// Whether this page may post forms at all. A page in `<iframe sandbox>` without allow-forms, or under a CSP
// `sandbox` without it, has every post dropped silently: no throw, no event. Such a page submits no form at all,
// not even to fire its submit event, so a probe form that is asked to submit (and cancels itself) tells. It lives in
// a closed shadow root: a submit event does not leave one, so the page's own listeners never see the probe. Sandbox
// flags are fixed for a document's life: asked once. Where the probe cannot run (no requestSubmit), posting is
// assumed allowed, as before; WebKit fires the submit event and drops the post only after it, so there the probe
// finds posting allowed (measured: tests/e2e/13-webkit.test.mjs).
let formsRefused;
function formsSandboxed() {
  if (formsRefused == null) {
    try {
      const host = document.createElement('div');
      const form = document.createElement('form');
      form.onsubmit = (e) => {
        e.preventDefault();
        formsRefused = false;
      };
      host.attachShadow({ mode: 'closed' }).append(form);
      document.body.append(host);
      try {
        formsRefused = true;
        form.requestSubmit();
      } finally {
        host.remove();
      }
    } catch {
      formsRefused = false;
    }
  }
  return formsRefused;
}

// POSTs `fields` ([name, value, name, value, …]) to `url` in the frame named `target` (or "_self") with a hidden
// form: appended to the body, submitted and removed at once (the navigation has started, and its fields, which may
// carry gateway data, should not stay in the DOM). 1 when posted; 0, and nothing sent, when the target frame is not
// in the document (the bank's page would open in a new tab) or the DOM refuses a step; 2, and nothing sent, when
// the page's policy (form-action, or a sandbox without allow-forms) refused the post at once. Built with DOM calls,
// never HTML.
export function postForm(url, target, fields) {
  try {
    const doc = document;
    if (formsSandboxed()) return 2;
    if (target[0] != '_' && !framesByName.get(target)?.isConnected) return false;
    const form = doc.createElement('form');
    // The ACS expects application/x-www-form-urlencoded, the default.
    Object.assign(form, { method: 'post', action: url, target, hidden: true });
    for (let i = 0; i < fields.length; i += 2) {
      form.append(Object.assign(doc.createElement('input'), { type: 'hidden', name: fields[i], value: fields[i + 1] }));
    }
    doc.body.append(form);
    let refused = false;
    try {
      form.submit();
    } catch {
      // Firefox throws when the page's form-action refuses the post (its securitypolicyviolation event follows);
      // Chromium posts, and refuses with the event only.
      refused = true;
    } finally {
      form.remove();
    }
    return refused ? 2 : 1;
  } catch {
    return 0;
  }
}

// The page: its address, and the element a selector names (null when nothing matches, undefined when the selector
// is malformed). Null without a page (Node, a worker, a server renderer's stand-in `window` or `document`).
export function pageHref() {
  try {
    return globalThis.window?.location?.href ?? null;
  } catch {
    return null;
  }
}

export function selectElement(selector) {
  const doc = globalThis.document;
  if (typeof doc?.querySelector != 'function') return null;
  try {
    return doc.querySelector(selector);
  } catch {
    return undefined;
  }
}

// A part of `url` (resolved against `base` when there is one) as the browser's URL parser reads it: "href", "origin",
// "path" (origin and pathname), or "?key" (the query parameter `key`); null when `url` is no URL.
export function urlPart(url, base, part) {
  try {
    const u = new URL(url, base ?? undefined);
    return part == 'path' ? u.origin + u.pathname : part[0] == '?' ? u.searchParams.get(part.slice(1)) : u[part];
  } catch {
    return null;
  }
}

// How this page was reached ("navigate", "reload", "back_forward"), or null where the host does not say.
export function navigationType() {
  try {
    return globalThis.performance?.getEntriesByType?.('navigation')[0]?.type ?? null;
  } catch {
    return null;
  }
}

// Web Storage: sessionStorage (the resume state), or localStorage when `local` (the orders at the bank's page, until
// when; those whose finish3dsVer2Payment.do left, with when). Never card data. Absent or refused storage (Node, a
// sandboxed frame, a privacy setting) is null / false / ''.
const webStorage = (local) => (local ? localStorage : sessionStorage);

export function saveItem(local, key, value) {
  try {
    webStorage(local).setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

// Reads item `key`; removes it too when `remove`.
export function readItem(local, key, remove) {
  try {
    const store = webStorage(local);
    const value = store.getItem(key);
    if (remove) store.removeItem(key);
    return value;
  } catch {
    return null;
  }
}

// localStorage's keys that start with `prefix`, one a line.
export function localKeys(prefix) {
  try {
    return Object.keys(localStorage).filter((k) => k.startsWith(prefix)).join('\n');
  } catch {
    return '';
  }
}

// ---- The frames: presentation only (where a frame goes and how it looks); what is posted into them and what
// their events mean is Rust's (src/web/methods.rs, src/web/challenge.rs). Styles through the CSSOM, which a strict
// Content Security Policy allows (a style attribute would need 'unsafe-inline').

// A cross-origin isolated page (COEP require-corp or credentialless) shows a cross-origin page in a frame only if
// that page opts in, which bank pages do not, or if the frame is `credentialless` (Chromium): then every frame of
// the module is one (set before it navigates). Without credentialless frames nothing can show the bank's pages
// (framesBlocked: the methods are not completed, N, and the challenge goes full-page); Chromium would still fire
// `load` for the refused frame's error page.
const isolated = () => globalThis.crossOriginIsolated === true;
const credentialless = () => typeof HTMLIFrameElement == 'function' && 'credentialless' in HTMLIFrameElement.prototype;
export function framesBlocked() {
  return isolated() && !credentialless();
}

// The page's origin is opaque (in `<iframe sandbox>` or under a CSP sandbox without allow-same-origin): a return page
// in the challenge frame can never be recognised (its load is unreadable, and the message it sends to its own origin
// is not delivered to an opaque one), and storage throws.
export function opaqueOrigin() {
  return globalThis.origin === 'null';
}

// The frames this module made, by name: postForm finds its target here, also inside a shadow root (a container in a
// web component), where document.getElementsByName does not look.
const framesByName = new Map();

function newFrame(name, title, styles) {
  const frame = document.createElement('iframe');
  // Frames of earlier payments are gone from the page by now (each is appended as soon as it is made).
  for (const [n, f] of framesByName) if (!f.isConnected) framesByName.delete(n);
  framesByName.set(name, frame);
  if (isolated()) frame.credentialless = true;
  frame.name = name;
  frame.title = title;
  frame.setAttribute('frameborder', '0');
  setStyles(frame, styles);
  return frame;
}

function setStyles(el, styles) {
  for (const [property, value] of Object.entries(styles)) el.style.setProperty(property, value);
}

// The hidden frame of one 3DS method POST, named `name`, added to the body; null when the DOM refuses. The bank's
// method pages learn nothing of the merchant's page address (referrerpolicy).
export function methodFrame(name) {
  try {
    const frame = newFrame(name, '3-D Secure method', { position: 'absolute', width: '0', height: '0', border: '0', visibility: 'hidden' });
    frame.setAttribute('aria-hidden', 'true');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    document.body.append(frame);
    return frame;
  } catch {
    return null;
  }
}

// The challenge frame named `name` in a wrapper appended to `container`: `width`×`height` px, centred, or (0×0, the
// full-screen size) filling the container's width and its height (else the window's). The wrapper scrolls rather
// than clips when the frame is larger than what is left of the container. Returns [wrapper, frame] (removing the
// wrapper removes both), or null when the DOM refuses.
export function challengeFrame(container, name, width, height, sandbox, windowSize) {
  try {
    const wrapper = document.createElement('div');
    const scroll = { overflow: 'auto', '-webkit-overflow-scrolling': 'touch' };
    let frame;
    if (width) {
      setStyles(wrapper, { ...scroll, 'max-width': '100%' });
      frame = newFrame(name, '3-D Secure', { display: 'block', border: '0', margin: '0 auto', width: width + 'px', height: height + 'px' });
    } else {
      const fill = usableHeight(container, 600);
      setStyles(wrapper, { ...scroll, width: '100%', height: fill + 'px' });
      frame = newFrame(name, '3-D Secure', { display: 'block', border: '0', width: '100%', height: '100%' });
    }
    wrapper.setAttribute('data-gateway-checkout', 'challenge');
    if (sandbox != null) frame.setAttribute('sandbox', sandbox);
    frame.setAttribute('data-window-size', windowSize);
    wrapper.append(frame);
    container.append(wrapper);
    return [wrapper, frame];
  } catch {
    return null;
  }
}

// The language tags a Checkout without a `language` option may take, in order: the page's (its <html lang>), then the
// browser's; one per line (Rust takes the first it has messages for).
export function pageLanguage() {
  return `${globalThis.document?.documentElement?.lang}\n${globalThis.navigator?.language}`;
}

// What the browser tells about itself for 3DS2: [userAgent, language, screen colorDepth, pixelDepth, width, height,
// availWidth, availHeight, timezone offset in minutes, IANA time zone, javaEnabled]. Hosts without a window (Node,
// workers) leave values undefined; src/web/browser.rs reads them and the core fills EMVCo-valid defaults.
export function browserFacts() {
  const nav = globalThis.navigator;
  const screen = globalThis.screen;
  let javaEnabled = false;
  let timeZone;
  try {
    javaEnabled = nav?.javaEnabled?.() === true;
  } catch {}
  try {
    timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {}
  return [
    nav?.userAgent,
    nav?.language,
    screen?.colorDepth,
    // Seed 002: Assist's CLIENT_SCREEN_COLORS is "Screen.pixelDepth".
    screen?.pixelDepth,
    screen?.width,
    screen?.height,
    screen?.availWidth,
    screen?.availHeight,
    new Date().getTimezoneOffset(),
    timeZone,
    javaEnabled,
  ];
}

// A container's height, or (a container that grows with its content has none yet) the window's; `none` without a
// window.
function usableHeight(container, none) {
  return container.clientHeight || (typeof innerHeight == 'number' ? innerHeight | 0 : none);
}

// The area a challenge may use, [width, height] in CSS pixels: the container's width and usable height; with no
// container, the window's size. Zeros where there is no window.
export function challengeArea(container) {
  if (container) return [container.clientWidth, usableHeight(container, 0)];
  return typeof innerWidth == 'number' ? [innerWidth, innerHeight] : [0, 0];
}

// ---- Waiting: what one wait of src/web/methods.rs, src/web/challenge.rs or src/api/checkout.rs listens to, reported
// as raw facts in the order they happen; Rust decides what each means (a frame's load that counts, a return page, a
// policy refusal that matters). close() removes every listener and clears every timer: Rust calls it when the wait is
// dropped, on every path. The facts, as src/web/signals.rs reads them: [kind, ...details].
const ABORT = 0; // the merchant's AbortSignal aborted
const LOADED = 3; // [LOADED, frame index, the frame's URL, or null when cross-origin (unreadable)]
const REFUSED = 4; // [REFUSED, blockedURI, effectiveDirective]: the page's Content Security Policy refused something
const MESSAGE = 5; // [MESSAGE, origin, whether the challenge frame posted it, its data's `type` string or null]
const DETACHED = 6; // the challenge frame is no longer in the document
const LEAVING = 7; // the page started to unload
const BACK = 8; // the page is shown again from the back/forward cache (the shopper came back to it)
// (1 and 2 are Rust's own timer tags, passed to after().)

function hrefOf(frame) {
  try {
    return frame.contentWindow?.location.href ?? null;
  } catch {
    return null;
  }
}

export class Watch {
  constructor(signal) {
    this.facts = [];
    this.waiting = null;
    this.undo = [];
    if (signal?.aborted) this.push([ABORT]);
    else if (signal) this.on(signal, 'abort', () => [ABORT]);
  }

  push(fact) {
    const waiting = this.waiting;
    this.waiting = null;
    waiting ? waiting(fact) : this.facts.push(fact);
  }

  on(target, kind, fact) {
    const listener = (e) => {
      const f = fact(e);
      if (f) this.push(f);
    };
    target.addEventListener(kind, listener);
    this.undo.push(() => target.removeEventListener(kind, listener));
  }

  // [tag] after `ms` milliseconds.
  after(ms, tag) {
    const timer = setTimeout(() => this.push([tag]), Math.min(ms, 2147483647));
    this.undo.push(() => clearTimeout(timer));
  }

  // Each load of `frame`.
  loads(frame, index) {
    (this.frames ??= []).push(frame);
    this.on(frame, 'load', () => [LOADED, index, hrefOf(frame)]);
  }

  // Whether a frame of the page this Watch does not watch shows, by its src, the origin a policy refused: the refusal
  // is that frame's (a chat widget's, a tag manager's), not the module's. The violation event names no frame.
  elsewhere(blocked) {
    const origin = urlPart(blocked, null, 'origin');
    return origin && [...document.querySelectorAll('iframe')].some((f) => !this.frames?.includes(f) && f.src.startsWith(origin + '/'));
  }

  // The page's policy violations (securitypolicyviolation on the document): how the module learns that the
  // merchant's policy refused one of its frames or forms instead of waiting for a timeout. A report-only policy's
  // (disposition "report") refused nothing: the frame loaded, the form was posted.
  violations() {
    if (globalThis.document) {
      this.on(document, 'securitypolicyviolation', (e) => e.disposition != 'report' && !this.elsewhere(e.blockedURI) && [REFUSED, e.blockedURI, e.effectiveDirective]);
    }
  }

  // Messages posted to this window (a return page inside `frame` telling its parent the shopper is back).
  messages(frame) {
    if (globalThis.window) {
      this.on(window, 'message', (e) => {
        const type = e.data?.type;
        return [MESSAGE, e.origin, e.source != null && e.source === frame.contentWindow, typeof type == 'string' ? type : null];
      });
    }
  }

  // Checks every `ms` that `el` is still in the document (a framework may re-render the container).
  detach(el, ms) {
    const timer = setInterval(() => el.isConnected || this.push([DETACHED]), ms);
    this.undo.push(() => clearInterval(timer));
  }

  // The page starting to unload (a full-page challenge leaving).
  leaving() {
    if (!globalThis.window) return;
    for (const kind of ['beforeunload', 'pagehide']) this.on(window, kind, () => [LEAVING]);
    this.on(window, 'pageshow', (e) => e.persisted && [BACK]);
  }

  // The next fact, when it comes.
  next() {
    return this.facts.length ? Promise.resolve(this.facts.shift()) : new Promise((resolve) => (this.waiting = resolve));
  }

  close() {
    for (const undo of this.undo.splice(0)) undo();
  }
}
