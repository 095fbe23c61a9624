'use client';
// The card-only build, as a page that takes no wallets imports it; like every client component it is also
// rendered (and so imported) on the server.
import { useEffect } from 'react';
import { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout/card';
import { mount } from '../test-page.js';

export default function PayCard() {
  useEffect(() => mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout/card'), []);
  return <div id="three-ds" />;
}
