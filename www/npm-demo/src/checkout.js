import '../../assets/style.css';
import { mountCheckout } from '../../assets/app/checkout-page.js';
import { load } from './module.js';

mountCheckout({ load, kind: 'npm' });
