// The home page (product, module version) and the cart page.

import { cart, h, money, mountShell, PRODUCT, setCart, tr, translate, withFlags } from './shell.js';

const bump = (n) => { setCart(n); window.dispatchEvent(new Event('cartchange')); };

export function mountHome({ version }) {
  mountShell('shop');
  const root = document.getElementById('home');
  const note = h('p', { class: 'added', id: 'added', 'aria-live': 'polite' });
  root.replaceChildren(
    h('section', { class: 'panel product' },
      h('div', { class: 'product-art', 'aria-hidden': 'true' }),
      h('div', { class: 'product-text' },
        h('h1', { 'data-i18n': 'productName' }),
        h('p', { 'data-i18n': 'productText' }),
        h('p', { class: 'price', text: money(PRODUCT.price) }),
        h('button', { class: 'primary', id: 'add-to-cart', 'data-i18n': 'addToCart', onclick: () => { bump(cart().qty + 1); note.textContent = tr('added'); } }),
        note,
        h('p', {}, h('a', { href: withFlags('/cart.html'), 'data-i18n': 'navCart' })))));
  translate(document);
  const v = document.getElementById('module-version');
  version.then((text) => { v.textContent = text; document.body.dataset.ready = 'true'; },
    (e) => { v.textContent = `${tr('errModule')} ${e}`; });
}

export function mountCart() {
  mountShell('cart');
  const root = document.getElementById('cart');
  const render = () => {
    const { qty } = cart();
    const body = qty === 0
      ? [h('p', { 'data-i18n': 'cartEmpty' })]
      : [
        h('div', { class: 'line cart-line' },
          h('span', { 'data-i18n': 'productName' }),
          h('span', { class: 'qty' },
            h('button', { type: 'button', class: 'small', 'aria-label': '−', text: '−', onclick: () => bump(qty - 1) }),
            h('output', { id: 'qty', text: String(qty), 'aria-live': 'polite' }),
            h('button', { type: 'button', class: 'small', 'aria-label': '+', text: '+', onclick: () => bump(qty + 1) })),
          h('span', { text: money(qty * PRODUCT.price) })),
        h('div', { class: 'line total' }, h('span', { 'data-i18n': 'total' }), h('strong', { id: 'cart-total', text: money(qty * PRODUCT.price) })),
        h('p', { class: 'hint', 'data-i18n': 'pagesNote' }),
        h('div', { class: 'actions' },
          h('a', { class: 'button primary', href: withFlags('/checkout.html'), id: 'to-checkout-script', 'data-i18n': 'payScript' }),
          h('a', { class: 'button', href: withFlags('/npm-demo/dist/'), id: 'to-checkout-npm', 'data-i18n': 'payNpm' })),
      ];
    root.replaceChildren(h('section', { class: 'panel' }, h('h1', { 'data-i18n': 'cartTitle' }), ...body));
    translate(document);
  };
  render();
  window.addEventListener('cartchange', render);
}
