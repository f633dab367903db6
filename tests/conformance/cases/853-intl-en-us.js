// Intl en-US (NumberFormat: grouping, fraction digits, rounding, currency, percent, signs;
// DateTimeFormat: the default, dateStyle/timeStyle, component options) and the toLocaleString
// methods of Number and Date; Date's toString with the zone's name.
const d = new Date(Date.UTC(2026, 0, 5, 15, 4, 9));
const show = (s) => JSON.stringify(s);
console.log(show(d.toLocaleString()), show(d.toLocaleDateString()), show(d.toLocaleTimeString()), show(String(d)));
console.log(show(d.toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })));
console.log(show(d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })), show(d.toLocaleDateString('en-US', { month: 'long', year: 'numeric' })));
console.log(show(d.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' })), show(d.toLocaleTimeString('en-US', { hour12: false })));
for (const s of ['full', 'long', 'medium', 'short']) console.log(s, show(new Intl.DateTimeFormat('en-US', { dateStyle: s, timeStyle: s, timeZone: 'UTC' }).format(d)), show(new Intl.DateTimeFormat('en-US', { dateStyle: s }).format(d)));
console.log(show(new Intl.DateTimeFormat().format(d)), show(new Intl.DateTimeFormat('en-US', { hour: 'numeric' }).format(d)), show(d.toLocaleDateString(undefined, { month: '2-digit', day: '2-digit', year: 'numeric' })));
const nf = (o, v) => new Intl.NumberFormat('en-US', o).format(v);
console.log(nf({}, 1234567.891), nf({}, -0.0005), nf({}, 1.0005), nf({}, 1e21), nf({}, 1.5e-7), nf({}, NaN), nf({}, -Infinity), nf({}, 0), nf({}, -0));
console.log(nf({ style: 'currency', currency: 'USD' }, 1234.5), nf({ style: 'currency', currency: 'EUR' }, -3), nf({ style: 'currency', currency: 'JPY' }, 1234.5), nf({ style: 'currency', currency: 'CHF' }, 5));
console.log(nf({ style: 'percent' }, 0.256), nf({ style: 'percent', minimumFractionDigits: 1 }, 0.256), nf({ maximumFractionDigits: 0 }, 2.5), nf({ maximumFractionDigits: 0 }, -2.5), nf({ minimumFractionDigits: 2 }, 1.005), nf({ useGrouping: false }, 12345.6));
console.log(nf({ minimumIntegerDigits: 3 }, 7), nf({ signDisplay: 'always' }, 5), nf({ signDisplay: 'exceptZero' }, 0), (1234.5).toLocaleString(), (0.1 + 0.2).toLocaleString());
console.log(typeof Intl, Object.prototype.toString.call(Intl), new Intl.NumberFormat().resolvedOptions().locale, new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).resolvedOptions().maximumFractionDigits);
try { new Intl.NumberFormat('en-US', { style: 'currency' }); } catch (e) { console.log(e.name, e.message); }
try { new Intl.NumberFormat('en-US', { maximumFractionDigits: 50 }); } catch (e) { console.log(e.name, e.message); }
try { new Intl.NumberFormat('en-US', { style: 'bogus' }); } catch (e) { console.log(e.name, e.message); }
