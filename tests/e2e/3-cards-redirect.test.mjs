import { cardSuite } from './cards.mjs';

cardSuite('redirect');
