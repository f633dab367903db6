// Regular expressions as programs use them: captures, named groups (one that takes no part),
// sticky and global matching with lastIndex, matchAll, replace and split, Unicode mode
// (property escapes, surrogate pairs, case folding), lone surrogates outside it, lookbehind,
// backreferences, the `d` flag's indices, and a global replace over a long text. In the page
// these run on the browser's own regular expressions; natively on boa's regress (where Node's
// answers differ, the browser-only case 861 shows them).
const show = (label, v) => console.log(label, JSON.stringify(v));

const date = /(?<year>\d{4})-(?<month>\d{2})(?:-(?<day>\d{2}))?/;
const m = date.exec('due 2024-03, then 2025-11-30');
show('exec', [m.index, m[0], m[1], m[2], m[3], m.groups]);
show('group keys', [Object.keys(m.groups), 'day' in m.groups]);
show('named later', '2025-11-30'.match(date).groups);

const sticky = /\w+/y;
sticky.lastIndex = 4;
show('sticky at 4', [sticky.exec('one two')?.[0], sticky.lastIndex]);
sticky.lastIndex = 3;
show('sticky at 3', [sticky.exec('one two'), sticky.lastIndex]);

const g = /o/g;
const seen = [];
let r;
while ((r = g.exec('foo boo')) !== null) seen.push([r.index, g.lastIndex]);
show('global', seen);
show('matchAll', [...'a1b22c333'.matchAll(/(\d)+/g)].map((x) => [x[0], x[1], x.index]));

show('replace $<>', '2024-03-09'.replace(/(?<y>\d+)-(?<m>\d+)-(?<d>\d+)/, '$<d>/$<m>/$<y>'));
show('replace fn', 'a-b_c'.replace(/[-_](\w)/g, (_, c, at) => c.toUpperCase() + at));
show('replaceAll', 'x.y.z'.replaceAll('.', '/'));
show('split', 'one, two,three ,  four'.split(/\s*(,)\s*/));
show('split limit', 'a1b2c3'.split(/\d/, 2));
show('empty matches', 'abc'.replace(/(?:)/g, '-'));

show('unicode letters', 'añb€ß中'.match(/\p{L}/gu));
show('script', 'αβγ abc'.match(/\p{Script=Greek}+/u)[0]);
show('astral', ['😀x'.match(/./u)[0].length, '😀x'.match(/./)[0].length]);
show('astral class', /^[😀-😂]$/u.test('😁'));
show('fold', [/ſ/iu.test('s'), /\u212A/iu.test('k'), /É/i.test('é')]);
show('lone surrogate', ['\uD83D'.match(/\uD83D/) !== null, '😀'.match(/\uD83D/)?.index]);
show('lookbehind', '$10 €20 $30'.match(/(?<=\$)\d+/g));
show('backreference', /(\w)\1/.exec('abccd')[0]);
show('named backreference', /(?<q>['"]).*?\k<q>/.exec(`say "hi" 'there'`)[0]);
show('dotAll', [/a.b/.test('a\nb'), /a.b/s.test('a\nb')]);
show('multiline', 'x\ny\nz'.match(/^\w$/gm));
const d = /(?<w>b+)(x)?/d.exec('aabbbc');
show('indices', [d.indices[0], d.indices[1], d.indices[2], d.indices.groups.w]);
show('source/flags', [/x/dgimsuy.flags, new RegExp('a/b').source, /a.b/gi.source]);
show('copy', [new RegExp(/ab+/g, 'i').flags, String(new RegExp(/ab+/g))]);
show('test/lastIndex', (() => { const t = /a/g; return [t.test('aa'), t.lastIndex, t.test('aa'), t.lastIndex, t.test('aa')]; })());
show('search', 'hello world'.search(/o\s/));

const words = [];
for (const w of ['alpha', 'beta', 'gamma']) words.push(/^(\w)(\w*)$/.exec(w).slice(1));
show('in a loop', words);

const long = 'ab'.repeat(50000);
show('long global replace', long.replace(/b/g, 'c').slice(0, 8) + ' ' + long.replace(/b/g, 'c').length);
show('long split', long.slice(0, 2000).split(/a/).length);

for (const bad of ['(', '[b-a]', 'a{2,1}', '\\k<nope>']) {
  for (const flags of ['', 'u']) {
    try {
      new RegExp(bad, flags);
      show('accepted', [bad, flags]);
    } catch (e) {
      show('rejected', [bad, flags, e instanceof SyntaxError]);
    }
  }
}
for (const flags of ['gg', 'x']) {
  try {
    new RegExp('a', flags);
  } catch (e) {
    console.log(`${e.name}: ${e.message}`);
  }
}
const tokens = [];
const word = /\w+|\s+/y;
for (let m; (m = word.exec('sticky words, one at a time')) !== null; ) tokens.push(m[0]);
show('sticky tokens', tokens);
