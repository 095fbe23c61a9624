// The few host calls the module makes in JS (issue 13): the HTTP transport (fetch, its deadline, the merchant's
// AbortSignal and a capped body read) and the cross-tab Web Lock of an order are a few lines here and kilobytes of
// wasm (async state machines, a dozen imports each). What to send, what an answer means and every decision stay in
// Rust (src/web/http.rs, src/web/order_lock.rs). Imported by wasm-bindgen's glue (scripts/build.sh inlines it).

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
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    return await run(response);
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
  return request(url, init, ms, signal, async (response) => {
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
        if (size > cap) {
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
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw BAD;
    }
  });
}

// A same-origin HEAD of `url`: its X-Frame-Options and Content-Security-Policy headers ("" when absent), or
// null when the probe failed.
export function frameHeaders(url, ms) {
  const init = { method: 'HEAD', credentials: 'same-origin' };
  return request(url, init, ms, null, (r) => [r.headers.get('X-Frame-Options'), r.headers.get('Content-Security-Policy')]).catch(
    () => null,
  );
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
