// The challenge window size follows the space the storefront gives the challenge container: viewports where
// each of 01–04 is chosen, and a phone (landscape, under 400 px tall) where 05 is. The ACS page (which lays
// itself out for the CReq's size and reports what it can see) must not be clipped.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { answerAcs, ARTIFACTS, CARDS, openCheckout, orderStatus, fillCard, withSandboxAndBrowser } from './harness.mjs';

const DIMS = { '01': [250, 400], '02': [390, 400], '03': [500, 600], '04': [600, 400] };
const VIEWPORTS = [
  { size: '01', name: 'phone portrait 375×740', viewport: { width: 375, height: 740 }, isMobile: true, kind: 'script' },
  { size: '02', name: 'small tablet 480×800', viewport: { width: 480, height: 800 }, kind: 'npm' },
  { size: '03', name: 'desktop 1280×860', viewport: { width: 1280, height: 860 }, kind: 'script' },
  { size: '04', name: 'short desktop window 1280×560', viewport: { width: 1280, height: 560 }, kind: 'npm' },
  { size: '05', name: 'phone landscape 740×360', viewport: { width: 740, height: 360 }, isMobile: true, kind: 'script' },
];

describe('challenge window sizing (iframe mode)', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  for (const v of VIEWPORTS) {
    test(`${v.size} on a ${v.name} [${v.kind} page]`, async () => {
      const { context, page, problems } = await openCheckout(browser, sbx, { kind: v.kind, mode: 'iframe', viewport: v.viewport, isMobile: v.isMobile });
      try {
        await fillCard(page, CARDS.challenge);
        await page.click('#pay');
        const frameEl = page.locator('#challenge iframe');
        await frameEl.waitFor({ timeout: 25000 });
        assert.equal(await frameEl.getAttribute('data-window-size'), v.size, 'the size the module chose');
        const frame = await (await frameEl.elementHandle()).contentFrame();
        await frame.waitForSelector('#otp');
        await frame.waitForFunction(() => document.body.hasAttribute('data-visible-width'));
        const acs = await frame.evaluate(() => {
          const r = (el) => { const b = el.getBoundingClientRect(); return { left: b.left, top: b.top, right: b.right, bottom: b.bottom }; };
          return {
            size: document.body.dataset.windowSize,
            visible: { width: Number(document.body.dataset.visibleWidth), height: Number(document.body.dataset.visibleHeight) },
            reported: window.__acsVisible,
            box: r(document.getElementById('acs')),
            confirm: r(document.getElementById('confirm')),
            otp: r(document.getElementById('otp')),
          };
        });
        assert.equal(acs.size, v.size, 'the ACS laid itself out for the same size');
        assert.equal(acs.reported.width, acs.visible.width);
        const frameBox = await frameEl.boundingBox();
        if (DIMS[v.size]) {
          const [w, h] = DIMS[v.size];
          assert.equal(acs.visible.width, w, 'the ACS sees its whole width');
          assert.equal(acs.visible.height, h, 'the ACS sees its whole height');
          assert.equal(Math.round(frameBox.width), w);
          assert.equal(Math.round(frameBox.height), h);
        } else {
          // 05 fills the container: as wide as the container, as tall as the window.
          const container = await page.locator('#challenge').boundingBox();
          assert.equal(acs.visible.width, Math.round(container.width), 'the ACS is as wide as the container');
          assert.ok(acs.visible.height >= 300 && acs.visible.height <= v.viewport.height, `height ${acs.visible.height}`);
        }
        // Not clipped: the frame fits the page's width and the window's height; the ACS's content and its
        // buttons are inside what the ACS can see.
        assert.ok(frameBox.x >= 0 && frameBox.x + frameBox.width <= v.viewport.width + 0.5, `frame ${JSON.stringify(frameBox)} within the page width`);
        assert.ok(frameBox.height <= v.viewport.height + 0.5, 'the frame fits the window height');
        for (const [what, b] of [['ACS page', acs.box], ['code input', acs.otp], ['Confirm', acs.confirm]]) {
          assert.ok(b.left >= 0 && b.top >= 0 && b.right <= acs.visible.width + 0.5 && b.bottom <= acs.visible.height + 0.5,
            `${what} ${JSON.stringify(b)} within the visible ${JSON.stringify(acs.visible)}`);
        }
        await frameEl.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(ARTIFACTS, `size-${v.size}-challenge.png`) });
        const inView = await frameEl.evaluate((el) => { const b = el.getBoundingClientRect(); return b.top >= -0.5 && b.bottom <= innerHeight + 0.5 && b.left >= -0.5 && b.right <= innerWidth + 0.5; });
        assert.ok(inView, 'the whole challenge frame is in view once scrolled to');

        const acsLocator = page.frameLocator('#challenge iframe');
        await answerAcs(acsLocator, 'right');
        await page.waitForURL(/\/result\.html\?orderId=/, { timeout: 30000 });
        await page.waitForSelector('#result-status');
        await page.screenshot({ path: join(ARTIFACTS, `size-${v.size}-result.png`), fullPage: true });
        const orderId = new URL(page.url()).searchParams.get('orderId');
        assert.equal((await orderStatus(sbx, orderId)).orderStatus, 2);
        assert.equal(await page.getAttribute('body', 'data-status'), 'paid');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
