// The page every app here bootstraps: the challenge container in its template, the shared test page's logic run
// once it is rendered (mount is given the app's imports, so each entry file shows its own).
import { Component } from '@angular/core';

@Component({
  selector: 'app-root',
  template: '<h1>Checkout (Angular, {{ entry }})</h1><div id="three-ds"></div>',
})
export class CheckoutPage {
  static entry = '';
  static start: () => void | Promise<void> = () => {};
  entry = CheckoutPage.entry;
  ngAfterViewInit(): void {
    void CheckoutPage.start();
  }
}
