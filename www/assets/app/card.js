// Card-form helpers shared by every checkout page: number grouping, Luhn, brand, expiry and CVC checks.
// Plain functions, no DOM: the module checks the card again before anything is sent.

const BRANDS = [
  { id: 'amex', name: 'American Express', re: /^3[47]/, lengths: [15], groups: [4, 6, 5], cvc: 4 },
  { id: 'mir', name: 'Mir', re: /^220[0-4]/, lengths: [16, 17, 18, 19], groups: [4, 4, 4, 4, 3], cvc: 3 },
  { id: 'mastercard', name: 'Mastercard', re: /^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, lengths: [16], groups: [4, 4, 4, 4], cvc: 3 },
  { id: 'visa', name: 'Visa', re: /^4/, lengths: [13, 16, 19], groups: [4, 4, 4, 4, 3], cvc: 3 },
  // UnionPay numbers need not pass the Luhn check (checkNumber); the module takes them too.
  { id: 'unionpay', name: 'UnionPay', re: /^(62|81)/, lengths: [16, 17, 18, 19], groups: [4, 4, 4, 4, 3], cvc: 3, luhn: false },
  { id: 'maestro', name: 'Maestro', re: /^(5[06-9]|6[37])/, lengths: [12, 13, 14, 15, 16, 17, 18, 19], groups: [4, 4, 4, 4, 3], cvc: 3 },
];
const UNKNOWN = { id: 'unknown', name: '', lengths: [12, 13, 14, 15, 16, 17, 18, 19], groups: [4, 4, 4, 4, 3], cvc: 3 };

export const digits = (s) => String(s || '').replace(/\D/g, '');

/** The card brand for the first digits typed so far. */
export function brandOf(number) {
  const d = digits(number);
  return BRANDS.find((b) => b.re.test(d)) || UNKNOWN;
}

export function luhn(number) {
  const d = digits(number);
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) { n *= 2; if (n > 9) n -= 9; }
    sum += n;
  }
  return d.length > 0 && sum % 10 === 0;
}

/** "4444555511113333" → "4444 5555 1111 3333" (the brand's grouping). */
export function formatNumber(number) {
  const d = digits(number).slice(0, 19);
  const out = [];
  let i = 0;
  for (const g of brandOf(d).groups) {
    if (i >= d.length) break;
    out.push(d.slice(i, i + g));
    i += g;
  }
  if (i < d.length) out.push(d.slice(i));
  return out.join(' ');
}

/** "1", "12", "123" → "1", "12/", "12/3"; keeps "MM/YY". */
export function formatExpiry(value, deleting = false) {
  let d = digits(value).slice(0, 4);
  if (d.length === 1 && d > '1') d = '0' + d;
  if (d.length >= 2) return d.slice(0, 2) + (d.length > 2 || !deleting ? '/' : '') + d.slice(2);
  return d;
}

/** Each check answers null when fine, or an error key of i18n.js. */
export function checkNumber(number) {
  const d = digits(number);
  if (!d) return 'errNumberEmpty';
  const b = brandOf(d);
  if (d.length < 12 || d.length > 19 || (b.id !== 'unknown' && !b.lengths.includes(d.length))) return 'errNumberLength';
  if (b.luhn !== false && !luhn(d)) return 'errNumberLuhn';
  return null;
}

export function checkExpiry(value, now = new Date()) {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(String(value || ''));
  if (!m) return 'errExpiryFormat';
  const month = Number(m[1]);
  let year = Number(m[2]);
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) return 'errExpiryFormat';
  // A card is valid until the end of its expiry month.
  if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) return 'errExpiryPast';
  if (year > now.getFullYear() + 20) return 'errExpiryFormat';
  return null;
}

export function checkCvc(value, number) {
  const d = String(value || '').trim();
  if (!/^\d+$/.test(d)) return 'errCvc';
  return d.length === brandOf(number).cvc ? null : 'errCvc';
}

export function checkHolder(value) {
  const s = String(value || '').trim();
  // As embossed: Latin letters, spaces, dots, apostrophes and hyphens.
  return /^[A-Za-z][A-Za-z .'-]{1,63}$/.test(s) ? null : 'errHolder';
}

/** The sandbox's test cards (docs/sandbox-contract.md). `flow` is an i18n key describing the behaviour. */
export const TEST_CARDS = [
  { pan: '4444 5555 1111 3333', flow: 'cardNo3ds' },
  { pan: '4012 0010 3816 6662', flow: 'card3ds1' },
  { pan: '5555 5555 5555 5599', flow: 'card3ds2Challenge' },
  { pan: '4000 0011 1111 1118', flow: 'card3ds2Frictionless' },
  { pan: '4000 0022 2222 2224', flow: 'card3ds2ServerMethod' },
  { pan: '4000 0033 3333 3330', flow: 'cardSoftDecline' },
  { pan: '4000 0044 4444 4446', flow: 'cardDecoupled' },
  { pan: '4000 0055 5555 5557', flow: 'cardInsufficient' },
  { pan: '4000 0066 6666 6663', flow: 'cardIssuerDecline' },
  { pan: '4000 0077 7777 7779', flow: 'cardMethodHangs' },
  { pan: '5200 0011 1111 1113', flow: 'cardNoMethods' },
  { pan: '6200 0000 0000 0006', flow: 'cardUnionPay' },
];
export const TEST_CODE = '12345678';
