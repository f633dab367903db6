// Intl, en-US only: NumberFormat and DateTimeFormat, and the toLocaleString methods of Number
// and Date that use them. boa's own Intl (its `intl` feature, ICU data compiled in) is not
// built into Looplab: what a course prints is en-US numbers and dates, and this file gives
// exactly Node 20's en-US output for them. Any requested locale resolves to en-US (Intl's own
// fallback when a locale has no data, as in a Node built with small-icu); the time zone is UTC,
// the model's. Options Looplab does not model (other time zones, units, compact and scientific
// notation, significant digits) throw a RangeError that says so.
//
// HOW: numbers are rounded on their shortest decimal form (as ICU does), half away from zero
// (roundingMode 'halfExpand'), then grouped by thousands; dates are laid out with en-US's
// patterns ('1/5/2026', 'January 5, 2026', '3:04:09 PM').

/* global makeNodeError */

function intlNotModelled(what) {
  return makeNodeError(
    RangeError,
    'ERR_LOOPLAB_NOT_MODELLED',
    `Looplab's Intl formats en-US in UTC only: ${what} is not modelled`,
  );
}

// ---- numbers --------------------------------------------------------------------------------

// The shortest decimal digits of |x| as [integer digits, fraction digits].
function decimalParts(x) {
  let s = String(Math.abs(x));
  const e = s.indexOf('e');
  if (e >= 0) {
    const exp = Number(s.slice(e + 1));
    const mantissa = s.slice(0, e).replace('.', '');
    const point = (s.indexOf('.') >= 0 ? s.indexOf('.') : e) + exp;
    if (point <= 0) s = '0.' + '0'.repeat(-point) + mantissa;
    else if (point >= mantissa.length) s = mantissa + '0'.repeat(point - mantissa.length);
    else s = mantissa.slice(0, point) + '.' + mantissa.slice(point);
  }
  const [int, frac = ''] = s.split('.');
  return [int, frac];
}

// Rounds [int, frac] to at most `max` fraction digits, half away from zero; pads to `min`.
function roundDecimal([int, frac], min, max) {
  if (frac.length > max) {
    const roundUp = frac.charCodeAt(max) >= 53; // '5'
    let digits = (int + frac.slice(0, max)).split('').map(Number);
    if (roundUp) {
      let i = digits.length - 1;
      while (i >= 0 && digits[i] === 9) digits[i--] = 0;
      if (i < 0) digits.unshift(1);
      else digits[i]++;
    }
    digits = digits.join('');
    int = digits.slice(0, digits.length - max) || '0';
    frac = max > 0 ? digits.slice(digits.length - max) : '';
  }
  frac = frac.replace(/0+$/, '');
  if (frac.length < min) frac = frac.padEnd(min, '0');
  return [int.replace(/^0+(?=\d)/, ''), frac];
}

function group(int) {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const currencySymbols = {
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  CAD: 'CA$',
  AUD: 'A$',
  INR: '₹',
  CNY: 'CN¥',
};
const zeroDigitCurrencies = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK']);

function digitsOption(options, name, fallback, low, high) {
  const v = options[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < low || n > high)
    throw new RangeError(`${name} value is out of range.`);
  return Math.floor(n);
}

class NumberFormat {
  // `locales`: any resolves to en-US (see the top of the file).
  constructor(locales = undefined, options = {}) {
    if (options === null) throw new TypeError('Cannot convert undefined or null to object');
    options = Object(options);
    const style = options.style === undefined ? 'decimal' : String(options.style);
    if (!['decimal', 'percent', 'currency', 'unit'].includes(style))
      throw new RangeError(
        `Value ${style} out of range for Intl.NumberFormat options property style`,
      );
    if (style === 'unit') throw intlNotModelled("style 'unit'");
    if (options.notation !== undefined && options.notation !== 'standard')
      throw intlNotModelled(`notation '${options.notation}'`);
    if (
      options.minimumSignificantDigits !== undefined ||
      options.maximumSignificantDigits !== undefined
    )
      throw intlNotModelled('significant digits');
    let currency;
    if (style === 'currency') {
      if (options.currency === undefined)
        throw new TypeError('Currency code is required with currency style.');
      currency = String(options.currency).toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency))
        throw new RangeError(`Invalid currency code : ${options.currency}`);
    }
    const defaultMin = style === 'currency' ? (zeroDigitCurrencies.has(currency) ? 0 : 2) : 0;
    const defaultMax = style === 'currency' ? defaultMin : style === 'percent' ? 0 : 3;
    const minimumFractionDigits = digitsOption(options, 'minimumFractionDigits', defaultMin, 0, 20);
    let maximumFractionDigits = digitsOption(
      options,
      'maximumFractionDigits',
      Math.max(minimumFractionDigits, defaultMax),
      0,
      20,
    );
    if (maximumFractionDigits < minimumFractionDigits) {
      if (options.maximumFractionDigits !== undefined)
        throw new RangeError('maximumFractionDigits value is out of range.');
      maximumFractionDigits = minimumFractionDigits;
    }
    this.options = {
      locale: 'en-US',
      numberingSystem: 'latn',
      style,
      ...(currency ? { currency, currencyDisplay: 'symbol', currencySign: 'standard' } : {}),
      minimumIntegerDigits: digitsOption(options, 'minimumIntegerDigits', 1, 1, 21),
      minimumFractionDigits,
      maximumFractionDigits,
      useGrouping: options.useGrouping === undefined ? 'auto' : options.useGrouping,
      notation: 'standard',
      signDisplay: options.signDisplay === undefined ? 'auto' : String(options.signDisplay),
      roundingMode: 'halfExpand',
    };
  }
  get format() {
    return (value) => this.formatNumber(value);
  }
  formatNumber(value) {
    const o = this.options;
    let x = Number(value);
    if (o.style === 'percent') x *= 100;
    const negative = x < 0 || Object.is(x, -0);
    let body;
    if (Number.isNaN(x)) body = 'NaN';
    else if (!Number.isFinite(x)) body = '∞';
    else {
      let [int, frac] = roundDecimal(
        decimalParts(x),
        o.minimumFractionDigits,
        o.maximumFractionDigits,
      );
      int = int.padStart(o.minimumIntegerDigits, '0');
      if (o.useGrouping !== false) int = group(int);
      body = frac ? `${int}.${frac}` : int;
    }
    if (o.style === 'percent') body += '%';
    if (o.style === 'currency') {
      const symbol = currencySymbols[o.currency];
      body = symbol ? symbol + body : `${o.currency}\u00a0${body}`;
    }
    const isZero = /^[^1-9]*$/.test(body);
    let sign;
    if (o.signDisplay === 'never') sign = '';
    else if (o.signDisplay === 'always') sign = negative ? '-' : '+';
    else if (o.signDisplay === 'exceptZero') sign = isZero ? '' : negative ? '-' : '+';
    else if (o.signDisplay === 'negative') sign = negative && !isZero ? '-' : '';
    else sign = negative && !Number.isNaN(x) ? '-' : '';
    return sign + body;
  }
  resolvedOptions() {
    return { ...this.options };
  }
  static supportedLocalesOf(locales) {
    const list = locales === undefined ? [] : [].concat(locales).map(String);
    return list.filter((l) => /^en(-US)?$/i.test(l));
  }
}
Object.defineProperty(NumberFormat.prototype, Symbol.toStringTag, {
  value: 'Intl.NumberFormat',
  configurable: true,
});

// ---- dates ----------------------------------------------------------------------------------

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const dateFields = ['weekday', 'year', 'month', 'day'];
const timeFields = ['hour', 'minute', 'second'];

function namePart(name, width) {
  if (width === 'long') return name;
  if (width === 'short') return name.slice(0, 3);
  return name[0];
}

class DateTimeFormat {
  constructor(locales = undefined, options = {}, defaults = 'date') {
    if (options === null) throw new TypeError('Cannot convert undefined or null to object');
    options = Object(options);
    if (options.timeZone !== undefined && !/^(utc|gmt|etc\/utc)$/i.test(String(options.timeZone)))
      throw intlNotModelled(`timeZone '${options.timeZone}'`);
    const o = { locale: 'en-US', calendar: 'gregory', numberingSystem: 'latn', timeZone: 'UTC' };
    if (options.dateStyle !== undefined || options.timeStyle !== undefined) {
      if ([...dateFields, ...timeFields].some((f) => options[f] !== undefined))
        throw new TypeError(
          "Can't set option " +
            dateFields.concat(timeFields).find((f) => options[f] !== undefined) +
            ' when dateStyle is used',
        );
      if (options.dateStyle !== undefined) o.dateStyle = String(options.dateStyle);
      if (options.timeStyle !== undefined) o.timeStyle = String(options.timeStyle);
    } else {
      for (const f of [...dateFields, ...timeFields])
        if (options[f] !== undefined) o[f] = String(options[f]);
      const hasDate = dateFields.some((f) => o[f] !== undefined);
      const hasTime = timeFields.some((f) => o[f] !== undefined);
      if (!hasDate && !hasTime) {
        if (defaults !== 'time')
          Object.assign(o, { year: 'numeric', month: 'numeric', day: 'numeric' });
        if (defaults !== 'date')
          Object.assign(o, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
      }
    }
    o.hour12 = options.hour12 === undefined ? true : Boolean(options.hour12);
    this.options = o;
  }
  get format() {
    return (date) => this.formatDate(date);
  }
  formatDate(date) {
    const d =
      date === undefined ? new Date() : new Date(typeof date === 'object' ? date.valueOf() : date);
    if (Number.isNaN(d.getTime())) throw new RangeError('Invalid time value');
    const o = this.options;
    const styled = o.dateStyle !== undefined || o.timeStyle !== undefined;
    const datePart = styled ? this.styledDate(d) : this.fieldsDate(d);
    const timePart = styled ? this.styledTime(d) : this.fieldsTime(d);
    if (datePart && timePart) {
      const joiner = styled && (o.dateStyle === 'full' || o.dateStyle === 'long') ? ' at ' : ', ';
      return datePart + joiner + timePart;
    }
    return datePart || timePart;
  }
  styledDate(d) {
    const s = this.options.dateStyle;
    if (s === undefined) return '';
    const month = d.getUTCMonth();
    const day = d.getUTCDate();
    const year = d.getUTCFullYear();
    if (s === 'full') return `${dayNames[d.getUTCDay()]}, ${monthNames[month]} ${day}, ${year}`;
    if (s === 'long') return `${monthNames[month]} ${day}, ${year}`;
    if (s === 'medium') return `${monthNames[month].slice(0, 3)} ${day}, ${year}`;
    if (s === 'short') return `${month + 1}/${day}/${String(year % 100).padStart(2, '0')}`;
    throw new RangeError(
      `Value ${s} out of range for Intl.DateTimeFormat options property dateStyle`,
    );
  }
  styledTime(d) {
    const s = this.options.timeStyle;
    if (s === undefined) return '';
    const [h, mm, ss, ampm] = this.clock(d);
    if (s === 'short') return `${h}:${mm}${ampm}`;
    const base = `${h}:${mm}:${ss}${ampm}`;
    if (s === 'medium') return base;
    if (s === 'long') return `${base} UTC`;
    if (s === 'full') return `${base} Coordinated Universal Time`;
    throw new RangeError(
      `Value ${s} out of range for Intl.DateTimeFormat options property timeStyle`,
    );
  }
  clock(d) {
    let h = d.getUTCHours();
    let ampm = '';
    if (this.options.hour12) {
      ampm = h < 12 ? '\u202fAM' : '\u202fPM';
      h = h % 12 || 12;
    } else h = String(h).padStart(2, '0');
    return [
      String(h),
      String(d.getUTCMinutes()).padStart(2, '0'),
      String(d.getUTCSeconds()).padStart(2, '0'),
      ampm.replace('\u202f', ' '),
    ];
  }
  fieldsDate(d) {
    const o = this.options;
    const month = d.getUTCMonth();
    const day =
      o.day === '2-digit' ? String(d.getUTCDate()).padStart(2, '0') : String(d.getUTCDate());
    const year =
      o.year === '2-digit'
        ? String(d.getUTCFullYear() % 100).padStart(2, '0')
        : String(d.getUTCFullYear());
    const weekday = o.weekday ? namePart(dayNames[d.getUTCDay()], o.weekday) : '';
    let text;
    if (o.month === 'long' || o.month === 'short' || o.month === 'narrow') {
      const m = namePart(monthNames[month], o.month);
      if (o.day && o.year) text = `${m} ${day}, ${year}`;
      else if (o.day) text = `${m} ${day}`;
      else if (o.year) text = `${m} ${year}`;
      else text = m;
    } else if (o.month) {
      const m = o.month === '2-digit' ? String(month + 1).padStart(2, '0') : String(month + 1);
      text = [m, o.day && day, o.year && year].filter(Boolean).join('/');
    } else {
      text = [o.day && day, o.year && year].filter(Boolean).join(' ');
    }
    if (weekday) text = text ? `${weekday}, ${text}` : weekday;
    return text;
  }
  fieldsTime(d) {
    const o = this.options;
    if (!o.hour && !o.minute && !o.second) return '';
    const [h, mm, ss, ampm] = this.clock(d);
    const parts = [];
    if (o.hour) parts.push(o.hour === '2-digit' && this.options.hour12 ? h.padStart(2, '0') : h);
    if (o.minute) parts.push(mm);
    if (o.second) parts.push(ss);
    return parts.join(':') + (o.hour ? ampm : '');
  }
  resolvedOptions() {
    return { ...this.options };
  }
  static supportedLocalesOf(locales) {
    return NumberFormat.supportedLocalesOf(locales);
  }
}
Object.defineProperty(DateTimeFormat.prototype, Symbol.toStringTag, {
  value: 'Intl.DateTimeFormat',
  configurable: true,
});

const intlObject = {
  NumberFormat,
  DateTimeFormat,
  getCanonicalLocales(locales) {
    return locales === undefined ? [] : [].concat(locales).map(String);
  },
};
Object.defineProperty(intlObject, Symbol.toStringTag, { value: 'Intl', configurable: true });

// The locale-sensitive methods that Intl backs in V8.
function installLocaleMethods() {
  const define = (proto, name, fn) =>
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
  define(Number.prototype, 'toLocaleString', function toLocaleString(locales, options) {
    return new NumberFormat(locales, options).format(Number.prototype.valueOf.call(this));
  });
  define(Date.prototype, 'toLocaleString', function toLocaleString(locales, options) {
    return new DateTimeFormat(locales, options, 'all').format(this);
  });
  define(Date.prototype, 'toLocaleDateString', function toLocaleDateString(locales, options) {
    return new DateTimeFormat(locales, options, 'date').format(this);
  });
  define(Date.prototype, 'toLocaleTimeString', function toLocaleTimeString(locales, options) {
    return new DateTimeFormat(locales, options, 'time').format(this);
  });
}
