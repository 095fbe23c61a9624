// @ts-check
// The seToken module as the README shows it: init() once, then createSeToken; the error guard works on its errors.
import init, { createSeToken } from 'gateway-checkout/setoken';
import { isCheckoutError } from 'gateway-checkout/web';
import { mountSeToken } from './test-page.js';

await init();
await mountSeToken({ createSeToken, isCheckoutError }, 'gateway-checkout/setoken');
