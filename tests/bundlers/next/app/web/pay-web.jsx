'use client';
// The other documented import: the web build and its explicit init().
import { useEffect } from 'react';
import init, { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout/web';
import { mount } from '../test-page.js';

export default function PayWeb() {
  useEffect(() => {
    init().then(() => mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout/web'));
  }, []);
  return <div id="three-ds" />;
}
