// path (lib/path.js): POSIX paths, pure functions; relative paths resolve against the program's
// directory.

function normalizeParts(parts) {
  const out = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out;
}
function resolvePath(...segs) {
  let acc = '';
  for (let i = segs.length - 1; i >= 0 && !acc.startsWith('/'); i--)
    acc = segs[i] + (acc ? '/' + acc : '');
  if (!acc.startsWith('/')) acc = dirname(filename) + '/' + acc;
  return '/' + normalizeParts(acc.split('/')).join('/');
}
function dirname(p) {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}
function basename(p, ext) {
  let b = p.slice(p.lastIndexOf('/') + 1);
  if (ext && b.endsWith(ext)) b = b.slice(0, -ext.length);
  return b;
}
function extname(p) {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i);
}
const path = {
  sep: '/',
  delimiter: ':',
  join: (...parts) => {
    const j = parts.filter((x) => x !== '').join('/');
    const abs = j.startsWith('/');
    const n = normalizeParts(j.split('/')).join('/');
    return (abs ? '/' : '') + (n || (abs ? '' : '.'));
  },
  resolve: resolvePath,
  dirname,
  basename,
  extname,
  isAbsolute: (p) => p.startsWith('/'),
  relative: (a, b) => {
    const x = resolvePath(a).split('/').filter(Boolean);
    const y = resolvePath(b).split('/').filter(Boolean);
    let i = 0;
    while (i < x.length && x[i] === y[i]) i++;
    return [...x.slice(i).map(() => '..'), ...y.slice(i)].join('/');
  },
};
path.posix = path;
