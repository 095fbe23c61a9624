import { cardSuite } from './cards.mjs';

cardSuite('iframe');
