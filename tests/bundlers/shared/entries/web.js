// @ts-check
// The other documented import: the web build and its explicit init().
import init, { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout/web';
import { mount } from './test-page.js';

await init();
mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout/web');
