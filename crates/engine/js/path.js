// path (lib/path.js, POSIX only) and os (lib/os.js): pure functions and fixed facts about the
// simulated machine (Linux x64, 2 CPUs).

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
const os = {
  EOL: '\n',
  tmpdir: () => '/tmp',
  homedir: () => '/home/node',
  hostname: () => 'looplab',
  platform: () => 'linux',
  type: () => 'Linux',
  arch: () => 'x64',
  release: () => '6.18.0',
  cpus: () =>
    [0, 1].map(() => ({
      model: 'Looplab virtual CPU',
      speed: 2400,
      times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
    })),
  availableParallelism: () => 2,
  totalmem: () => 24 * 2 ** 30,
  freemem: () => 20 * 2 ** 30,
};
