// return.html, the script-tag checkout's return page.
import { handOffIfFramed } from './frame.js';
import { loadScriptBuild } from './script-build.js';

// Inside the challenge iframe: tell the checkout page the shopper is back, and nothing else.
if (!handOffIfFramed()) {
  // The top-level return page after a full-page challenge: the module, then resume().
  const { mountReturn } = await import('./return-page.js');
  mountReturn({ load: loadScriptBuild });
}
