// The card-only build in a zoneless app: ready when the import resolves, as the root entry.
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout/card';
import { CheckoutPage } from './checkout-page';
import { mount } from './app/test-page.js';

CheckoutPage.entry = 'gateway-checkout/card';
CheckoutPage.start = () => mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout/card');
bootstrapApplication(CheckoutPage, { providers: [provideZonelessChangeDetection()] }).catch((e) => console.error(e));
