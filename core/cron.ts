/**
 * Checks for cron expressions and IANA time zones (CronFederatedHPA rules, rule 24).
 */

const FIELDS: Array<[number, number, Record<string, number>?]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12, { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }],
  [0, 7, { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }],
];
const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Whether a standard five-field cron expression (or a macro) is valid. */
export function isCronExpression(expr: string): boolean {
  if (typeof expr !== 'string') return false;
  const text = expr.trim();
  if (MACROS.includes(text)) return true;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return false;
  return parts.every((part, i) => {
    const [min, max, names] = FIELDS[i];
    const num = (s: string) => {
      const n = names?.[s.toLowerCase()] ?? (/^\d+$/.test(s) ? Number(s) : NaN);
      return n >= min && n <= max ? n : NaN;
    };
    return part.split(',').every((item) => {
      const [range, step] = item.split('/');
      if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
      if (range === '*' || (i === 2 && range === '?') || (i === 4 && range === '?')) return true;
      const [a, b] = range.split('-');
      if (b === undefined) return !Number.isNaN(num(a));
      return !Number.isNaN(num(a)) && !Number.isNaN(num(b)) && num(a) <= num(b);
    });
  });
}

/** Whether a time zone name is a valid IANA name known to this runtime. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return typeof zone === 'string' && zone.length > 0;
  } catch (e) {
    // Intl rejects unknown zones with a RangeError; anything else is a bug.
    if (e instanceof RangeError) return false;
    throw e;
  }
}
