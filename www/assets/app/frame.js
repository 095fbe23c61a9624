// The return page inside the challenge iframe: tell the checkout page that the shopper is back, and do
// nothing else (no resume(), no module, no storage). Returns true when the page is framed.
export function handOffIfFramed() {
  if (window === window.top) return false;
  document.documentElement.dataset.framed = 'true';
  window.parent.postMessage({ type: 'gateway-checkout:returned' }, location.origin);
  return true;
}
