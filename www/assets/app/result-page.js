// The result page: what payCard()/resume() resolved with, kept by flow.js for this tab.

import { savedResult } from './flow.js';
import { h, money, mountShell, setCart, tr, translate, withFlags } from './shell.js';

const TEXT = { paid: 'resultPaidText', authorized: 'resultAuthorizedText', declined: 'resultDeclinedText', pending: 'resultPendingText' };

export function mountResult(root = document.getElementById('result')) {
  mountShell('checkout');
  const orderId = new URLSearchParams(location.search).get('orderId') || '';
  const saved = savedResult();
  const o = saved && saved.outcome && (!orderId || saved.outcome.orderId === orderId) ? saved.outcome : null;
  const status = o ? o.status : 'unknown';
  document.body.dataset.status = status;
  if (o && (status === 'paid' || status === 'authorized')) { setCart(0); window.dispatchEvent(new Event('cartchange')); }
  const row = (key, value, id) => (value === undefined || value === null || value === '' ? null
    : h('div', { class: 'line' }, h('dt', { 'data-i18n': key }), h('dd', { id, text: String(value) })));
  const amount = o && o.amount !== undefined ? o.amount : saved && saved.amount;
  root.replaceChildren(
    h('section', { class: `panel result result-${status}` },
      h('div', { class: 'result-icon', 'aria-hidden': 'true' }),
      h('h1', { id: 'result-status', 'data-status': status, 'data-i18n': `status_${status}` }),
      TEXT[status] ? h('p', { 'data-i18n': TEXT[status] }) : null,
      h('dl', {},
        row('orderId', o ? o.orderId : orderId, 'result-order'),
        row('amount', amount !== undefined && amount !== null ? money(amount) : null, 'result-amount'),
        row('paidWith', saved && saved.wallet ? `${saved.wallet === 'google' ? 'Google Pay' : 'Apple Pay'} (${tr('walletSample')})` : null, 'result-wallet'),
        row('cardUsed', o && o.maskedPan, 'result-pan'),
        row('orderNumber', saved && saved.orderNumber, 'result-order-number'),
        row('reason', o && status !== 'paid' && status !== 'authorized' ? o.reason : null, 'result-reason'),
        row('gatewayStatus', o && o.orderStatus !== undefined ? `orderStatus ${o.orderStatus}, actionCode ${o.actionCode ?? '—'}` : null, 'result-gateway'))),
    h('p', { class: 'actions' }, h('a', { class: 'button', href: withFlags('/'), 'data-i18n': 'backToShop' })));
  translate(document);
  document.title = `${tr('resultTitle')} — ${tr('shopName')}`;
}
