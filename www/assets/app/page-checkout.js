// checkout.html, the static checkout: only the script-tag build (pkg/script, global GatewayCheckout).
import { mountCheckout } from './checkout-page.js';
import { loadScriptBuild } from './script-build.js';

mountCheckout({ load: loadScriptBuild, kind: 'script' });
