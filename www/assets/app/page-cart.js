// cart.html
import { mountCart } from './shop-pages.js';

mountCart();
