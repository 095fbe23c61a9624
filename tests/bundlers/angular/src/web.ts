// A Zone.js app (most existing Angular apps): its build refuses a top-level await, so it takes the web build with
// its explicit init(), run by provideAppInitializer: the app starts once the module is ready.
import { provideAppInitializer, provideZoneChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import init, { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout/web';
import { CheckoutPage } from './checkout-page';
import { mount } from './app/test-page.js';

CheckoutPage.entry = 'gateway-checkout/web';
CheckoutPage.start = () => mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout/web');
bootstrapApplication(CheckoutPage, {
  providers: [provideZoneChangeDetection(), provideAppInitializer(() => init())],
}).catch((e) => console.error(e));
