'use client';
// A client component paying with the documented import; it is also rendered (and so imported) on the server.
import { useEffect } from 'react';
import { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout';
import { mount } from './test-page.js';

export default function Pay() {
  useEffect(() => mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout'), []);
  return <div id="three-ds" />;
}
