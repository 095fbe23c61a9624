'use client';
// The seToken module as the README shows it, in a client component (also imported on the server for SSR).
import { useEffect } from 'react';
import init, { createSeToken } from 'gateway-checkout/setoken';
import { isCheckoutError } from 'gateway-checkout';
import { mountSeToken } from '../test-page.js';

export default function SeToken() {
  useEffect(() => {
    init().then(() => mountSeToken({ createSeToken, isCheckoutError }, 'gateway-checkout/setoken'));
  }, []);
  return <p>Card fields would go here.</p>;
}
