/// <reference types="powerapps-component-framework" />

/**
 * The signed-in user's formatting as a model-driven app gives it for English (United States), language 1033: the
 * .NET culture data `userSettings.dateFormattingInfo` and `numberFormattingInfo` carry, and `context.formatting`
 * over them. The local environment has one user, whose personal options are Dataverse's defaults.
 */
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December', ''];
const ABBREVIATED_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', ''];

export const DATE_FORMATTING_INFO: ComponentFramework.UserSettingApi.DateFormattingInfo = {
  amDesignator: 'AM',
  abbreviatedDayNames: DAY_NAMES.map((day) => day.slice(0, 3)),
  abbreviatedMonthGenitiveNames: ABBREVIATED_MONTHS,
  abbreviatedMonthNames: ABBREVIATED_MONTHS,
  calendarWeekRule: 0,
  calendar: {
    minSupportedDateTime: new Date(Date.UTC(1, 0, 1)),
    maxSupportedDateTime: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
    algorithmType: 1,
    calendarType: 1,
    twoDigitYearMax: 2049,
  },
  dateSeparator: '/',
  dayNames: DAY_NAMES,
  firstDayOfWeek: 0,
  fullDateTimePattern: 'dddd, MMMM d, yyyy h:mm:ss tt',
  longDatePattern: 'dddd, MMMM d, yyyy',
  longTimePattern: 'h:mm:ss tt',
  monthDayPattern: 'MMMM d',
  monthGenitiveNames: MONTH_NAMES,
  monthNames: MONTH_NAMES,
  pmDesignator: 'PM',
  shortDatePattern: 'M/d/yyyy',
  shortTimePattern: 'h:mm tt',
  shortestDayNames: DAY_NAMES.map((day) => day.slice(0, 2)),
  sortableDateTimePattern: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  timeSeparator: ':',
  universalSortableDateTimePattern: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  yearMonthPattern: 'MMMM yyyy',
};

export const NUMBER_FORMATTING_INFO: ComponentFramework.UserSettingApi.NumberFormattingInfo = {
  currencyDecimalDigits: 2,
  currencyDecimalSeparator: '.',
  currencyGroupSeparator: ',',
  currencyGroupSizes: [3],
  currencyNegativePattern: 0,
  currencyPositivePattern: 0,
  currencySymbol: '$',
  nanSymbol: 'NaN',
  nativeDigits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  negativeInfinitySymbol: '-Infinity',
  negativeSign: '-',
  numberDecimalDigits: 2,
  numberDecimalSeparator: '.',
  numberGroupSeparator: ',',
  numberGroupSizes: [3],
  numberNegativePattern: 1,
  perMilleSymbol: '‰',
  percentDecimalDigits: 2,
  percentDecimalSeparator: '.',
  percentGroupSeparator: ',',
  percentGroupSizes: [3],
  percentNegativePattern: 0,
  percentPositivePattern: 0,
  percentSymbol: '%',
  positiveInfinitySymbol: 'Infinity',
  positiveSign: '+',
};

const LOCALE = 'en-US';
const LANGUAGES: Readonly<Record<number, string>> = { 1033: 'English' };
const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** The week of the year as .NET's GetWeekOfYear with en-US settings: weeks start on Sunday, week 1 holds 1 January. */
function weekOfYear(value: Date): number {
  const start = new Date(value.getFullYear(), 0, 1);
  const dayOfYear = Math.floor((value.getTime() - start.getTime()) / 86_400_000);
  return Math.floor((dayOfYear + start.getDay()) / 7) + 1;
}

/** `context.formatting` in the user's formats. */
export function createFormatting(): ComponentFramework.Formatting {
  const number = (value: number, precision: number) => value.toLocaleString(LOCALE, { minimumFractionDigits: precision, maximumFractionDigits: precision });
  const date = (value: Date, options: Intl.DateTimeFormatOptions) => value.toLocaleString(LOCALE, options);
  const time = (value: Date) => date(value, { hour: 'numeric', minute: '2-digit' });
  return {
    formatCurrency: (value, precision = NUMBER_FORMATTING_INFO.currencyDecimalDigits, symbol = NUMBER_FORMATTING_INFO.currencySymbol) =>
      `${value < 0 ? '-' : ''}${symbol}${number(Math.abs(value), precision)}`,
    formatDecimal: (value, precision = NUMBER_FORMATTING_INFO.numberDecimalDigits) => number(value, precision),
    formatDateAsFilterStringInUTC: (value, includeTime = false) =>
      `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}${includeTime ? `T${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}` : ''}`,
    formatDateLong: (value) => date(value, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
    formatDateLongAbbreviated: (value) => date(value, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }),
    formatDateShort: (value, includeTime = false) => `${date(value, { year: 'numeric', month: 'numeric', day: 'numeric' })}${includeTime ? ` ${time(value)}` : ''}`,
    formatDateYearMonth: (value) => date(value, { year: 'numeric', month: 'long' }),
    formatInteger: (value) => number(Math.round(value), 0),
    formatLanguage: (value) => LANGUAGES[value] ?? String(value),
    // Behavior 1 (UserLocal) shows the user's local time, 3 (TimeZoneIndependent) the stored time (DateTimeFieldBehavior).
    formatTime: (value, behavior) => (behavior === 3 ? date(value, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }) : time(value)),
    getWeekOfYear: weekOfYear,
  };
}
