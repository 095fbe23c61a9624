// result.html
import { mountResult } from './result-page.js';

mountResult();
