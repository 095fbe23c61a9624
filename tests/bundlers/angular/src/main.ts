// The README's first import in a zoneless app (Angular 21's default for new projects): the module is ready when
// the import resolves (a top-level await, which Zone.js apps cannot have: see web.ts).
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout';
import { CheckoutPage } from './checkout-page';
import { mount } from './app/test-page.js';

CheckoutPage.entry = 'gateway-checkout';
CheckoutPage.start = () => mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout');
bootstrapApplication(CheckoutPage, { providers: [provideZonelessChangeDetection()] }).catch((e) => console.error(e));
