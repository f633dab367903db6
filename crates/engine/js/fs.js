// fs (lib/fs.js, lib/internal/fs/promises.js): an in-memory file system that holds the script.
//
// HOW: each asynchronous call is the chain of requests libuv makes, each a trip through the
// thread pool and back through the poll phase: `fs.readFile` is open, fstat, read, close (four
// trips, as in Node's ReadFileContext); `fs.promises.readFile` awaits each trip. Synchronous
// calls run on the main thread and block the loop for their cost.

/* global Buffer, ReadStream, URL, WriteStream, costs, describeReceived, dirname, hostCall, inspect, makeNodeError, onMainThread,
   resolvePath, toPool, validateFunction */

const files = new Map([[filename, Buffer.from(source)]]);
const dirs = new Set(['/', '/tmp', dirname(filename)]);
{
  let d = dirname(filename);
  while (d !== '/' && d !== '.') {
    dirs.add(d);
    d = dirname(d);
  }
}

function fsError(code, syscall, p) {
  const messages = {
    ENOENT: 'no such file or directory',
    EISDIR: 'illegal operation on a directory',
    ENOTDIR: 'not a directory',
    EEXIST: 'file already exists',
  };
  const errnos = { ENOENT: -2, EISDIR: -21, ENOTDIR: -20, EEXIST: -17 };
  const e = new Error(`${code}: ${messages[code]}, ${syscall} '${p}'`);
  e.errno = errnos[code];
  e.code = code;
  e.syscall = syscall;
  e.path = p;
  return e;
}
function toPath(p) {
  if (typeof URL === 'function' && p instanceof URL) p = p.pathname;
  if (typeof p !== 'string' && !(p instanceof Buffer)) {
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      `The "path" argument must be of type string or an instance of Buffer or URL. Received ${describeReceived(p)}`,
    );
  }
  return resolvePath(String(p));
}
function encodingOf(options) {
  if (typeof options === 'string') return options;
  if (options && typeof options === 'object' && typeof options.encoding === 'string')
    return options.encoding;
  return null;
}
function decode(buf, enc) {
  return enc === null || enc === 'buffer' ? buf : buf.toString(enc);
}
function toBytes(data, enc) {
  if (data instanceof Uint8Array) return Buffer.from(data);
  return Buffer.from(String(data), typeof enc === 'string' ? enc : 'utf8');
}

class Stats {
  constructor(size, isDir) {
    this.dev = 2049;
    this.mode = isDir ? 16877 : 33188;
    this.nlink = 1;
    this.uid = 1000;
    this.gid = 1000;
    this.rdev = 0;
    this.blksize = 4096;
    this.ino = 1000 + (size % 997);
    this.size = size;
    this.blocks = Math.ceil(size / 512);
    const t = host.dateNow();
    this.atimeMs = t;
    this.mtimeMs = t;
    this.ctimeMs = t;
    this.birthtimeMs = t;
    this.atime = new Date(t);
    this.mtime = new Date(t);
    this.ctime = new Date(t);
    this.birthtime = new Date(t);
    Object.defineProperty(this, '_dir', { value: isDir });
  }
  isFile() {
    return !this._dir;
  }
  isDirectory() {
    return this._dir;
  }
  isSymbolicLink() {
    return false;
  }
}
function statOf(p) {
  if (files.has(p)) return { stats: new Stats(files.get(p).length, false) };
  if (dirs.has(p)) return { stats: new Stats(4096, true) };
  return { err: fsError('ENOENT', 'stat', p) };
}
const readCost = (n) => costs.fsRead + n * costs.fsReadPerByte;

// fs.readFile: open, fstat, read, close, each a trip through the pool and the poll phase.
function readFileSteps(p, done) {
  toPool('fs.open', costs.fsOpen, 'fast', 'readFileAfterOpen', () => {
    if (!files.has(p))
      return done(fsError(dirs.has(p) ? 'EISDIR' : 'ENOENT', dirs.has(p) ? 'read' : 'open', p));
    toPool('fs.fstat', costs.fsStat, 'fast', 'readFileAfterStat', () => {
      const data = files.get(p);
      toPool('fs.read', readCost(data.length), 'fast', 'readFileAfterRead', () => {
        toPool('fs.close', costs.fsClose, 'fast', 'readFileAfterClose', () =>
          done(null, Buffer.from(data)),
        );
      });
    });
  });
}
function writeFileSteps(p, bytes, append, done) {
  toPool('fs.open', costs.fsOpen, 'fast', 'writeFileAfterOpen', () => {
    if (!dirs.has(dirname(p))) return done(fsError('ENOENT', 'open', p));
    toPool(
      'fs.write',
      costs.fsWrite + bytes.length * costs.fsReadPerByte,
      'fast',
      'writeAll',
      () => {
        const before = append && files.has(p) ? files.get(p) : null;
        files.set(p, before ? Buffer.concat([before, bytes]) : bytes);
        toPool('fs.close', costs.fsClose, 'fast', 'writeFileAfterClose', () => done(null));
      },
    );
  });
}

// Open files: fd → { path, append, readable, writable }. Numbers start where a Node process's
// first user file often lands; a program should not depend on them.
const openFiles = new Map();
let nextFd = 20;
function badFd(syscall) {
  const e = new Error(`EBADF: bad file descriptor, ${syscall}`);
  e.errno = -9;
  e.code = 'EBADF';
  e.syscall = syscall;
  return e;
}
function validateFd(fd) {
  if (!Number.isInteger(fd))
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      `The "fd" argument must be of type number. Received ${describeReceived(fd)}`,
    );
}
// open(2) with flags 'r', 'r+', 'w', 'w+', 'a', 'a+', 'wx', 'ax'.
function openFile(p, flags) {
  const f = String(flags || 'r');
  if (!/^(r\+?|[wa]x?\+?)$/.test(f))
    throw makeNodeError(
      TypeError,
      'ERR_INVALID_ARG_VALUE',
      `The argument 'flags' is invalid. Received ${inspect(flags)}`,
    );
  if (dirs.has(p) && f !== 'r') return { err: fsError('EISDIR', 'open', p) };
  if (f[0] === 'r' && !files.has(p)) return { err: fsError('ENOENT', 'open', p) };
  if (f.includes('x') && files.has(p)) return { err: fsError('EEXIST', 'open', p) };
  if (f[0] !== 'r' && !dirs.has(dirname(p))) return { err: fsError('ENOENT', 'open', p) };
  if (f[0] === 'w') files.set(p, Buffer.alloc(0));
  else if (f[0] === 'a' && !files.has(p)) files.set(p, Buffer.alloc(0));
  const fd = nextFd++;
  openFiles.set(fd, {
    path: p,
    append: f[0] === 'a',
    readable: f[0] === 'r' || f.includes('+'),
    writable: f[0] !== 'r' || f.includes('+'),
    isDir: dirs.has(p),
  });
  return { fd };
}
// pread(2)/read(2): `position` null reads at the file's own offset.
function readFd(fd, buffer, offset, length, position) {
  const entry = openFiles.get(fd);
  if (!entry || !entry.readable) return { err: badFd('read') };
  if (entry.isDir) return { err: fsError('EISDIR', 'read', entry.path) };
  const data = files.get(entry.path) || Buffer.alloc(0);
  const at =
    position === null || position === undefined || position < 0 ? entry.offset || 0 : position;
  const n = Math.max(0, Math.min(length, data.length - at));
  data.copy(buffer, offset, at, at + n);
  if (position === null || position === undefined || position < 0) entry.offset = at + n;
  return { bytesRead: n };
}
function writeFd(fd, bytes, position) {
  const entry = openFiles.get(fd);
  if (!entry || !entry.writable) return { err: badFd('write') };
  const data = files.get(entry.path) || Buffer.alloc(0);
  const own = position === null || position === undefined;
  let at = own ? entry.offset || 0 : position;
  if (entry.append) at = data.length;
  const end = Math.max(data.length, at + bytes.length);
  const next = Buffer.alloc(end);
  data.copy(next, 0, 0, data.length);
  bytes.copy(next, at);
  files.set(entry.path, next);
  if (own) entry.offset = at + bytes.length;
  return { written: bytes.length };
}

function callbackArg(args) {
  const cb = args[args.length - 1];
  validateFunction(cb, 'cb');
  return cb;
}

const fs = {
  readFile(p, ...rest) {
    const cb = callbackArg(rest);
    const enc = encodingOf(rest.length > 1 ? rest[0] : undefined);
    const file = toPath(p);
    hostCall('fs.readFile', () =>
      readFileSteps(file, (err, buf) => (err ? cb(err) : cb(null, decode(buf, enc)))),
    );
  },
  writeFile(p, data, ...rest) {
    const cb = callbackArg(rest);
    const bytes = toBytes(data, encodingOf(rest.length > 1 ? rest[0] : undefined));
    const file = toPath(p);
    hostCall('fs.writeFile', () => writeFileSteps(file, bytes, false, (err) => cb(err)));
  },
  appendFile(p, data, ...rest) {
    const cb = callbackArg(rest);
    const file = toPath(p);
    hostCall('fs.appendFile', () => writeFileSteps(file, toBytes(data), true, (err) => cb(err)));
  },
  stat(p, ...rest) {
    const cb = callbackArg(rest);
    const file = toPath(p);
    hostCall('fs.stat', () =>
      toPool('fs.stat', costs.fsStat, 'fast', cb, () => {
        const r = statOf(file);
        if (r.err) cb(r.err);
        else cb(null, r.stats);
      }),
    );
  },
  access(p, ...rest) {
    const cb = callbackArg(rest);
    const file = toPath(p);
    hostCall('fs.access', () =>
      toPool('fs.access', costs.fsStat, 'fast', cb, () => {
        cb(files.has(file) || dirs.has(file) ? null : fsError('ENOENT', 'access', file));
      }),
    );
  },
  unlink(p, cb) {
    validateFunction(cb, 'cb');
    const file = toPath(p);
    hostCall('fs.unlink', () =>
      toPool('fs.unlink', costs.fsStat, 'fast', cb, () => {
        if (!files.delete(file)) return cb(fsError('ENOENT', 'unlink', file));
        cb(null);
      }),
    );
  },
  readdir(p, ...rest) {
    const cb = callbackArg(rest);
    const dir = toPath(p);
    hostCall('fs.readdir', () =>
      toPool('fs.readdir', costs.fsStat, 'fast', cb, () => {
        if (!dirs.has(dir)) return cb(fsError('ENOENT', 'scandir', dir));
        cb(null, listDir(dir));
      }),
    );
  },
  open(p, flags, mode, cb) {
    if (typeof flags === 'function') {
      cb = flags;
      flags = 'r';
    } else if (typeof mode === 'function') cb = mode;
    validateFunction(cb, 'cb');
    const file = toPath(p);
    hostCall('fs.open', () =>
      toPool('fs.open', costs.fsOpen, 'fast', 'oncomplete', () => {
        let r;
        try {
          r = openFile(file, flags);
        } catch (e) {
          r = { err: e };
        }
        if (r.err) cb(r.err);
        else cb(null, r.fd);
      }),
    );
  },
  read(fd, buffer, offset, length, position, cb) {
    validateFd(fd);
    if (typeof offset === 'function') {
      cb = offset;
      offset = 0;
      length = buffer.length;
      position = null;
    }
    validateFunction(cb, 'cb');
    if (!(buffer instanceof Uint8Array))
      throw makeNodeError(
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        `The "buffer" argument must be an instance of Buffer, TypedArray, or DataView. Received ${describeReceived(buffer)}`,
      );
    offset = offset || 0;
    length = length === undefined ? buffer.length - offset : length;
    hostCall('fs.read', () =>
      toPool('fs.read', readCost(length), 'fast', 'oncomplete', () => {
        const r = readFd(fd, buffer, offset, length, position);
        if (r.err) cb(r.err);
        else cb(null, r.bytesRead, buffer);
      }),
    );
  },
  write(fd, data, ...rest) {
    validateFd(fd);
    const cb = callbackArg(rest);
    let bytes;
    let position = null;
    if (data instanceof Uint8Array) {
      const [offset = 0, length = data.length - offset, pos = null] = rest.slice(0, -1);
      bytes = Buffer.from(data.subarray(offset, offset + length));
      position = pos;
    } else {
      const [pos = null, encoding = 'utf8'] = rest.slice(0, -1);
      bytes = Buffer.from(String(data), encoding);
      position = pos;
    }
    hostCall('fs.write', () =>
      toPool(
        'fs.write',
        costs.fsWrite + bytes.length * costs.fsReadPerByte,
        'fast',
        'oncomplete',
        () => {
          const r = writeFd(fd, bytes, typeof position === 'number' ? position : null);
          if (r.err) cb(r.err);
          else cb(null, r.written, data);
        },
      ),
    );
  },
  close(fd, cb = () => {}) {
    validateFd(fd);
    validateFunction(cb, 'cb');
    hostCall('fs.close', () =>
      toPool('fs.close', costs.fsClose, 'fast', 'oncomplete', () => {
        if (!openFiles.delete(fd)) cb(badFd('close'));
        else cb(null);
      }),
    );
  },
  readFileSync(p, options) {
    const file = toPath(p);
    return onMainThread(
      'fs.readFileSync',
      costs.fsOpen +
        costs.fsStat +
        costs.fsClose +
        readCost(files.has(file) ? files.get(file).length : 0),
      () => {
        if (!files.has(file))
          throw fsError(
            dirs.has(file) ? 'EISDIR' : 'ENOENT',
            dirs.has(file) ? 'read' : 'open',
            file,
          );
        return decode(Buffer.from(files.get(file)), encodingOf(options));
      },
    );
  },
  writeFileSync(p, data, options) {
    const file = toPath(p);
    const bytes = toBytes(data, encodingOf(options));
    onMainThread('fs.writeFileSync', costs.fsOpen + costs.fsWrite + costs.fsClose, () => {
      if (!dirs.has(dirname(file))) throw fsError('ENOENT', 'open', file);
      files.set(file, bytes);
    });
  },
  appendFileSync(p, data) {
    const file = toPath(p);
    onMainThread('fs.appendFileSync', costs.fsOpen + costs.fsWrite + costs.fsClose, () => {
      files.set(
        file,
        files.has(file) ? Buffer.concat([files.get(file), toBytes(data)]) : toBytes(data),
      );
    });
  },
  existsSync(p) {
    const f = toPath(p);
    return onMainThread('fs.existsSync', costs.fsStat, () => files.has(f) || dirs.has(f));
  },
  statSync(p) {
    const f = toPath(p);
    return onMainThread('fs.statSync', costs.fsStat, () => {
      const r = statOf(f);
      if (r.err) throw r.err;
      return r.stats;
    });
  },
  readdirSync(p) {
    const d = toPath(p);
    return onMainThread('fs.readdirSync', costs.fsStat, () => {
      if (!dirs.has(d)) throw fsError('ENOENT', 'scandir', d);
      return listDir(d);
    });
  },
  mkdirSync(p) {
    dirs.add(toPath(p));
  },
  unlinkSync(p) {
    const f = toPath(p);
    if (!files.delete(f)) throw fsError('ENOENT', 'unlink', f);
  },
  Stats,
};
function listDir(dir) {
  const names = new Set();
  const prefix = dir === '/' ? '/' : dir + '/';
  for (const p of [...files.keys(), ...dirs]) {
    if (p.startsWith(prefix) && p.length > prefix.length)
      names.add(p.slice(prefix.length).split('/')[0]);
  }
  return [...names].sort();
}

// fs.promises: the same trips, awaited one by one, as Node's FileHandle-based code does.
function poolPromise(name, costUs, frame, compute) {
  return new Promise((resolve, reject) => {
    toPool(name, costUs, 'fast', frame, () => {
      let r;
      try {
        r = compute();
      } catch (e) {
        reject(e);
        return;
      }
      resolve(r);
    });
  });
}
const fsPromises = {
  async readFile(p, options) {
    const file = toPath(p);
    const enc = encodingOf(options);
    await hostCall('fs.promises.readFile', () =>
      poolPromise('fs.open', costs.fsOpen, 'open', () => {
        if (!files.has(file))
          throw fsError(
            dirs.has(file) ? 'EISDIR' : 'ENOENT',
            dirs.has(file) ? 'read' : 'open',
            file,
          );
      }),
    );
    const size = await poolPromise('fs.fstat', costs.fsStat, 'fstat', () => files.get(file).length);
    const data = await poolPromise('fs.read', readCost(size), 'read', () =>
      Buffer.from(files.get(file)),
    );
    await poolPromise('fs.close', costs.fsClose, 'close', () => undefined);
    return decode(data, enc);
  },
  async writeFile(p, data, options) {
    const file = toPath(p);
    const bytes = toBytes(data, encodingOf(options));
    await hostCall('fs.promises.writeFile', () =>
      poolPromise('fs.open', costs.fsOpen, 'open', () => {
        if (!dirs.has(dirname(file))) throw fsError('ENOENT', 'open', file);
      }),
    );
    await poolPromise(
      'fs.write',
      costs.fsWrite + bytes.length * costs.fsReadPerByte,
      'write',
      () => {
        files.set(file, bytes);
      },
    );
    await poolPromise('fs.close', costs.fsClose, 'close', () => undefined);
  },
  stat(p) {
    const file = toPath(p);
    return hostCall('fs.promises.stat', () =>
      poolPromise('fs.stat', costs.fsStat, 'stat', () => {
        const r = statOf(file);
        if (r.err) throw r.err;
        return r.stats;
      }),
    );
  },
  readdir(p) {
    const dir = toPath(p);
    return hostCall('fs.promises.readdir', () =>
      poolPromise('fs.readdir', costs.fsStat, 'readdir', () => {
        if (!dirs.has(dir)) throw fsError('ENOENT', 'scandir', dir);
        return listDir(dir);
      }),
    );
  },
  unlink(p) {
    const file = toPath(p);
    return poolPromise('fs.unlink', costs.fsStat, 'unlink', () => {
      if (!files.delete(file)) throw fsError('ENOENT', 'unlink', file);
    });
  },
};
fs.promises = fsPromises;
// The fs streams (internal/fs/streams.js) are in the lazy part of the layer (prelude.rs), loaded
// on first use as Node's lib/fs.js loads them (lazyLoadStreams): the classes are getters that
// stay getters, the functions plain functions.
for (const [name, get] of [
  ['ReadStream', () => ReadStream],
  ['WriteStream', () => WriteStream],
]) {
  let replaced;
  Object.defineProperty(fs, name, {
    get() {
      if (replaced !== undefined) return replaced;
      loadLazy();
      return get();
    },
    set(value) {
      replaced = value;
    },
    enumerable: true,
    configurable: true,
  });
}
Object.assign(fs, {
  // (Through the getters: a class set on fs is the one these make, as in Node.)
  createReadStream(path, options) {
    return new fs.ReadStream(path, options);
  },
  createWriteStream(path, options) {
    return new fs.WriteStream(path, options);
  },
});
