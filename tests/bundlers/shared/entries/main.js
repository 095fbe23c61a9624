// @ts-check
// The README's first import: the module is ready when the import resolves.
import { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout';
import { mount } from './test-page.js';

mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout');
