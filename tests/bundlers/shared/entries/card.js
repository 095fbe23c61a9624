// @ts-check
// The card-only build: Checkout (payCard, payBinding, resume) without the wallets and the primitives, ready when
// the import resolves.
import { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout/card';
import { mount } from './test-page.js';

mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout/card');
