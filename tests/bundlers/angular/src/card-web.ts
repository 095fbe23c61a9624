// The card-only build in a Zone.js app: gateway-checkout/card/web, its init() in provideAppInitializer.
import { provideAppInitializer, provideZoneChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import init, { Checkout, CheckoutError, isCheckoutError, version } from 'gateway-checkout/card/web';
import { CheckoutPage } from './checkout-page';
import { mount } from './app/test-page.js';

CheckoutPage.entry = 'gateway-checkout/card/web';
CheckoutPage.start = () => mount({ Checkout, CheckoutError, isCheckoutError, version }, 'gateway-checkout/card/web');
bootstrapApplication(CheckoutPage, {
  providers: [provideZoneChangeDetection(), provideAppInitializer(() => init())],
}).catch((e) => console.error(e));
