// What every storefront page shares: settings (merchant token, language, challenge mode), the gateway
// address, the cart, the header with the sandbox banner and the language switch, and translation.

import { LANGUAGES, t } from './i18n.js';

const KEY = 'gc-demo.';
const store = {
  get: (k) => { try { return localStorage.getItem(KEY + k); } catch { return null; } },
  set: (k, v) => { try { localStorage.setItem(KEY + k, v); } catch { /* private mode */ } },
};

export const PRODUCT = { id: 'highland-500', price: 450000, currency: '398', symbol: '₸' };

/** The demo shopper's account id at the shop (the gateway's clientId): cards paid with it become saved
 *  cards (bindings) unless the shopper says not to. One per browser, made on first use. */
export function shopperId() {
  let id = store.get('clientId');
  if (!id) {
    id = `shopper-${Math.random().toString(36).slice(2, 10)}`;
    store.set('clientId', id);
  }
  return id;
}

/** Query parameters override (and are remembered): ?token=…&lang=en|ru|kk&mode=iframe|redirect */
function remember() {
  const q = new URLSearchParams(location.search);
  for (const k of ['token', 'lang', 'mode']) {
    const v = q.get(k);
    if (v) store.set(k, v);
  }
}
remember();

/** Sandbox hooks that follow the shopper from page to page (this visit only, never remembered): `csp=strict`
 *  (the sandbox serves each page with a strict Content-Security-Policy, Trusted Types and SRI) and
 *  `unframeable=1` (each page refuses every frame: X-Frame-Options DENY, frame-ancestors 'none'). */
const PAGE_FLAGS = ['csp', 'unframeable'];

/** `href` with this page's flags (above) added; unchanged when there are none. */
export function withFlags(href) {
  const here = new URLSearchParams(location.search);
  const flags = PAGE_FLAGS.filter((k) => here.get(k));
  if (!flags.length) return href;
  const url = new URL(href, location.href);
  for (const k of flags) if (!url.searchParams.has(k)) url.searchParams.set(k, here.get(k));
  return url.origin === location.origin ? url.pathname + url.search + url.hash : url.href;
}

export function lang() {
  const l = store.get('lang');
  return LANGUAGES.some((x) => x.id === l) ? l : 'en';
}
export function setLang(l) {
  store.set('lang', l);
  document.documentElement.lang = l;
  translate(document);
  window.dispatchEvent(new CustomEvent('langchange', { detail: l }));
}
export function mode() {
  return store.get('mode') === 'redirect' ? 'redirect' : 'iframe';
}
export function setMode(m) { store.set('mode', m === 'redirect' ? 'redirect' : 'iframe'); }

/** The merchant's public token: ?token=… on this visit, else the sandbox's `GET /shop/config` (the demo
 *  merchant's backend hands pages the public Open ID token), else the one remembered from an earlier visit. */
export async function token() {
  const fromQuery = new URLSearchParams(location.search).get('token');
  if (fromQuery) return fromQuery;
  try {
    const res = await fetch('/shop/config', { headers: { Accept: 'application/json' } });
    if (res.ok && (res.headers.get('content-type') || '').includes('json')) {
      const cfg = await res.json();
      if (cfg && typeof cfg.token === 'string' && cfg.token) {
        store.set('token', cfg.token);
        return cfg.token;
      }
    }
  } catch { /* no config endpoint */ }
  return store.get('token');
}

/** The gateway the module talks to. Opened as localhost, the gateway is 127.0.0.1 on the same port, so the
 *  page and the gateway are two origins (as with a real bank) and CORS is exercised. */
export function gatewayUrl() {
  if (location.hostname === 'localhost') return `${location.protocol}//127.0.0.1:${location.port}/payment`;
  return `${location.origin}/payment`;
}

export function cart() {
  const n = Number(store.get('cart'));
  return { qty: Number.isInteger(n) && n >= 0 ? n : 0 };
}
export function setCart(qty) { store.set('cart', String(Math.max(0, Math.min(99, qty | 0)))); }
/** The amount to pay in minor units; a checkout opened directly pays for one item. */
export function orderTotal() {
  const qty = cart().qty || 1;
  return { qty, amount: qty * PRODUCT.price };
}

export function money(minor, l = lang()) {
  const n = new Intl.NumberFormat(l === 'kk' ? 'kk-KZ' : l === 'ru' ? 'ru-RU' : 'en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 })
    .format(minor / 100);
  return `${n} ${PRODUCT.symbol}`;
}

export const tr = (key) => t(lang(), key);

/** Fills every [data-i18n] element (textContent) and [data-i18n-placeholder] / [data-i18n-aria]. */
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = tr(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = tr(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', tr(el.dataset.i18nAria));
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'for') el.setAttribute(k, v === true ? '' : v);
    else el[k] = v;
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** The header: shop name, navigation, cart count, language switch, and the sandbox banner. */
export function mountShell(active) {
  document.documentElement.lang = lang();
  const header = document.getElementById('site-header');
  if (!header) return;
  const count = h('span', { class: 'badge', id: 'cart-count', 'aria-live': 'polite' });
  const updateCount = () => { const q = cart().qty; count.textContent = q ? String(q) : ''; count.hidden = !q; };
  updateCount();
  window.addEventListener('cartchange', updateCount);
  const link = (href, key, id) => h('a', { href: withFlags(href), 'data-i18n': key, class: id === active ? 'active' : '', 'aria-current': id === active ? 'page' : null });
  const switcher = h('div', { class: 'lang-switch', role: 'group', 'aria-label': 'Language' },
    LANGUAGES.map((l) => h('button', {
      type: 'button', text: l.label, 'data-lang': l.id, 'aria-pressed': String(l.id === lang()),
      onclick: () => {
        setLang(l.id);
        for (const b of switcher.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.lang === l.id));
      },
    })));
  header.replaceChildren(
    h('div', { class: 'sandbox-banner', role: 'note', 'data-i18n': 'sandboxBanner', id: 'sandbox-banner' }),
    h('div', { class: 'bar' },
      h('a', { href: withFlags('/'), class: 'brand', 'data-i18n': 'shopName' }),
      h('nav', {}, link('/', 'navShop', 'shop'), h('span', { class: 'cart-link' }, link('/cart.html', 'navCart', 'cart'), count)),
      switcher));
  translate(document);
}
