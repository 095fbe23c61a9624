// @vitest-environment jsdom
// A merchant's component test under Vitest's jsdom environment (no setup file, no config): Vitest hands the package
// to Node, so its `node` entries load, the card-only one too. What needs no gateway must work.
import { expect, test } from 'vitest';
import { Checkout, CheckoutError, isCheckoutError, collectBrowserInfo, pickChallengeWindowSize, version } from 'gateway-checkout';
import * as card from 'gateway-checkout/card';

test('the module loads in jsdom and reports its version', () => {
  expect(version()).toBe(process.env.GC_VERSION);
  expect(typeof window).toBe('object');
});

test('a Checkout with an unsafe gateway URL is refused with a CheckoutError, from either entry', () => {
  for (const api of [{ Checkout, CheckoutError, isCheckoutError }, card]) {
    let error;
    try {
      new api.Checkout({ gatewayUrl: 'http://evil.example/payment', token: 'x' });
    } catch (e) {
      error = e;
    }
    expect(api.isCheckoutError(error)).toBe(true);
    expect(error instanceof api.CheckoutError).toBe(true);
    expect(error.code).toBe('unsafe_url');
  }
  expect(card.version()).toBe(process.env.GC_VERSION);
});

test('a Checkout of the sandbox is made, not busy', () => {
  const c = new card.Checkout({ gatewayUrl: 'http://127.0.0.1:9/payment', token: 'x', sandbox: true });
  expect(c.busy).toBe(false);
  c.free();
});

test('the challenge window fits the screen, and jsdom\'s browser facts are read', () => {
  expect(pickChallengeWindowSize(400, 500).code).toBe('02');
  const info = collectBrowserInfo({ ip: '203.0.113.7' });
  expect(info.emvco.browserJavascriptEnabled).toBe(true);
  expect(info.emvco.browserUserAgent).toMatch(/jsdom/);
});
