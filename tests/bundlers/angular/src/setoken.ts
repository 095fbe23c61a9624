// The seToken module in a Zone.js app: init() in provideAppInitializer, then createSeToken.
import { provideAppInitializer, provideZoneChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import init, { createSeToken } from 'gateway-checkout/setoken';
import { isCheckoutError } from 'gateway-checkout/web';
import { CheckoutPage } from './checkout-page';
import { mountSeToken } from './app/test-page.js';

CheckoutPage.entry = 'gateway-checkout/setoken';
CheckoutPage.start = () => mountSeToken({ createSeToken, isCheckoutError }, 'gateway-checkout/setoken');
bootstrapApplication(CheckoutPage, {
  providers: [provideZoneChangeDetection(), provideAppInitializer(() => init())],
}).catch((e) => console.error(e));
