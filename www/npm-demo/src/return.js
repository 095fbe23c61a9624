import { handOffIfFramed } from '../../assets/app/frame.js';

// Inside the challenge iframe: only tell the checkout page that the shopper is back. At the top level
// (after a full-page challenge): load the module and resume() the payment.
if (!handOffIfFramed()) {
  Promise.all([import('../../assets/app/return-page.js'), import('./module.js'), import('../../assets/style.css')])
    .then(([{ mountReturn }, { load }]) => mountReturn({ load }));
}
