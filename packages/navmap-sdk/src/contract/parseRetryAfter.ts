/**
 * `Retry-After` (RFC 9110 section 10.2.3) as whole seconds to wait from `now`: delta-seconds written as digits only,
 * or an HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms recipients must accept). Anything else
 * (`-5`, `0x10`, `1e3`, an empty value) is ignored: `undefined`. A date in the past gives 0. The surrounding
 * whitespace that HTTP field parsing strips is ignored too. The rule of `docs/contract.md`, "Retry-After".
 *
 * @example
 * parseRetryAfter('120'); // 120
 * parseRetryAfter('0x10'); // undefined
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = parseHttpDate(trimmed);
  return date === undefined ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const MONTH = `(${MONTHS.join('|')})`;
// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = new RegExp(`^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
// Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/** Epoch milliseconds of an HTTP date, or undefined; every form is UTC, whatever the local time zone. */
function parseHttpDate(value: string): number | undefined {
  let parts: [day: string, month: string, year: number, hour: string, minute: string, second: string] | undefined;
  const imf = IMF_FIXDATE.exec(value);
  if (imf) parts = [imf[1]!, imf[2]!, Number(imf[3]), imf[4]!, imf[5]!, imf[6]!];
  const rfc850 = RFC_850.exec(value);
  if (rfc850) {
    // RFC 9110: a two-digit year more than 50 years in the future means the past century; 2000-2049 here.
    const year = Number(rfc850[3]);
    parts = [rfc850[1]!, rfc850[2]!, year < 50 ? 2000 + year : 1900 + year, rfc850[4]!, rfc850[5]!, rfc850[6]!];
  }
  const asctime = ASCTIME.exec(value);
  if (asctime) parts = [asctime[2]!, asctime[1]!, Number(asctime[6]), asctime[3]!, asctime[4]!, asctime[5]!];
  if (parts === undefined) return undefined;
  const [day, month, year, hour, minute, second] = parts;
  const time = Date.UTC(year, MONTHS.indexOf(month), Number(day), Number(hour), Number(minute), Number(second));
  // Date.UTC rolls 31 Feb over into March: a date that does not exist is not a date.
  return new Date(time).getUTCDate() === Number(day) && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 61 ? time : undefined;
}
