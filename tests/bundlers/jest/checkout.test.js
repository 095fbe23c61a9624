// A merchant's component test under Jest's jsdom environment (no setup file, no polyfills): requiring the module
// must work, and so must what needs no gateway. jsdom lacks some of Node's globals (TextDecoder, TextEncoder,
// fetch): the module must not need them to load.
const { Checkout, CheckoutError, isCheckoutError, collectBrowserInfo, pickChallengeWindowSize, version } = require('gateway-checkout');

test('the module loads in jsdom and reports its version', () => {
  expect(version()).toBe(process.env.GC_VERSION);
  expect(typeof window).toBe('object');
});

test('a Checkout with an unsafe gateway URL is refused with a CheckoutError', () => {
  let error;
  try {
    new Checkout({ gatewayUrl: 'http://evil.example/payment', token: 'x' });
  } catch (e) {
    error = e;
  }
  expect(isCheckoutError(error)).toBe(true);
  expect(error instanceof CheckoutError).toBe(true);
  expect(error.code).toBe('unsafe_url');
});

test('a Checkout of the sandbox is made, not busy', () => {
  const c = new Checkout({ gatewayUrl: 'http://127.0.0.1:9/payment', token: 'x', sandbox: true });
  expect(c.busy).toBe(false);
  c.free();
});

test('the challenge window fits the screen, and jsdom\'s browser facts are read', () => {
  expect(pickChallengeWindowSize(400, 500).code).toBe('02');
  const info = collectBrowserInfo({ ip: '203.0.113.7' });
  expect(info.emvco.browserJavascriptEnabled).toBe(true);
  expect(info.emvco.browserUserAgent).toMatch(/jsdom/);
});

test('the card-only entry and the seToken module load by require() too', () => {
  const card = require('gateway-checkout/card');
  expect(card.version()).toBe(process.env.GC_VERSION);
  expect(() => new card.Checkout({ gatewayUrl: 'http://evil.example/payment', token: 'x' })).toThrow(expect.objectContaining({ code: 'unsafe_url' }));
  expect(typeof require('gateway-checkout/setoken').createSeToken).toBe('function');
});
