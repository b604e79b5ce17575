// Personal data and secrets in a query. Each detector is a pattern plus, where one exists, the check
// that makes it more than a pattern (Luhn for card numbers, ISO 13616 mod 97 for IBANs).
export interface Finding {
  kind: string;
  sample: string;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of v) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

const mask = (s: string) => (s.length <= 4 ? '••••' : `${s.slice(0, 2)}••••${s.slice(-2)}`);

const detectors: { kind: string; pattern: RegExp; check?: (match: string) => boolean }[] = [
  { kind: 'email address', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  { kind: 'card number', pattern: /\b(?:\d[ -]?){13,19}\b/g, check: (m) => luhnValid(m.replace(/\D/g, '')) },
  { kind: 'IBAN', pattern: /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g, check: ibanValid },
  {
    kind: 'phone number',
    pattern:
      /\+\d{1,3}(?:[\s.-]?\(?\d{2,5}\)?){2,4}\b|(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\b\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}\b/g,
  },
  {
    kind: 'national ID number',
    pattern: /\b\d{3}-\d{2}-\d{4}\b|\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/g,
  },
  {
    kind: 'postal address',
    pattern:
      /\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl)\b\.?|\b[A-Z][a-z]+(?:straße|strasse|weg|gasse|platz)\s+\d{1,4}\b/g,
  },
  {
    kind: 'API key or token',
    pattern:
      /\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})\b/g,
  },
  { kind: 'password', pattern: /\b(?:password|passwd|passcode|pwd|pin)\s*(?:is|:|=)\s*\S+/gi },
  { kind: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
];

// Health and financial details: words that say the text is about the user's own body or money.
// A health word counts only when the text is about the writer ("I", "my", "me").
const sensitiveTopics: { kind: string; pattern: RegExp; firstPerson: boolean }[] = [
  {
    kind: 'health detail',
    firstPerson: true,
    pattern:
      /\b(?:diagnos\w+|prescri\w+|symptoms?|doctor|therapist|therapy|blood (?:test|pressure|sugar)|hiv|cancer|tumou?r|diabetes|diabetic|depress\w+|anxiety|pregnan\w+|medication|dosage|allerg\w+|surgery|std|psychiatr\w+|antidepressants?)\b/i,
  },
  {
    kind: 'financial detail',
    firstPerson: false,
    pattern:
      /\b(?:my (?:salary|income|bank|account|debt|mortgage|loan|tax return|credit score|savings|pay ?slip)|account number|routing number|sort code|net worth)\b/i,
  },
];
const firstPerson = /\b(?:i|i'm|i've|i'd|my|me|mine)\b/i;

export function detectPrivate(text: string): Finding[] {
  const found: Finding[] = [];
  let rest = text;
  for (const d of detectors) {
    for (const match of rest.matchAll(d.pattern)) {
      const value = match[0].trim();
      if (d.check && !d.check(value)) continue;
      found.push({ kind: d.kind, sample: mask(value) });
      rest = rest.replace(match[0], ' '.repeat(match[0].length)); // a card number is not also a phone number
    }
  }
  for (const t of sensitiveTopics) {
    const m = t.pattern.exec(text);
    if (m && (!t.firstPerson || firstPerson.test(text))) found.push({ kind: t.kind, sample: m[0] });
  }
  return found;
}
