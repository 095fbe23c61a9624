// index.html: the product and the module's version() (script-tag build).
import { loadScriptBuild } from './script-build.js';
import { mountHome } from './shop-pages.js';

mountHome({ version: loadScriptBuild().then((m) => m.version()) });
