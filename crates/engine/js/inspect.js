// util.format and util.inspect, for console.log.
//
// HOW: Node prints values with util.inspect (lib/internal/util/inspect.js). We follow its
// documented output for the values small programs print: primitives, arrays, plain objects,
// class instances, Maps, Sets, Errors, functions, Buffers, Promises, nested up to depth 2, and
// its line-breaking rule (an object goes on one line when it fits in 80 columns and is at most
// three levels deep inside; arrays of more than six short items are grouped into columns).
// WHY here in JavaScript: the values live in the engine; formatting them where they are avoids a
// round trip per property through the host boundary.

/* global Buffer */

const kMaxDepth = 2;
// util.inspect.custom: an object's own way of being shown.
const kCustomInspect = Symbol.for('nodejs.util.inspect.custom');
const kBreakLength = 80;
const identRe = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quoteString(s) {
  let q = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) q = '"';
    else if (!s.includes('`') && !s.includes('${')) q = '`';
  }
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
    else out += ch;
  }
  return q + out + q;
}

function formatNumber(n) {
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

function formatPrimitive(v) {
  switch (typeof v) {
    case 'string':
      return quoteString(v);
    case 'number':
      return formatNumber(v);
    case 'bigint':
      return String(v) + 'n';
    case 'boolean':
      return String(v);
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return v.toString();
  }
  return String(v);
}

function keyString(k) {
  if (typeof k === 'symbol') return '[' + k.toString() + ']';
  return identRe.test(k) ? k : quoteString(k);
}

function constructorName(obj) {
  let proto = Object.getPrototypeOf(obj);
  while (proto !== null) {
    const d = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (d !== undefined && typeof d.value === 'function' && d.value.name !== '')
      return d.value.name;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function isBelowBreakLength(output, start, base) {
  let total = output.length + start;
  if (total + output.length > kBreakLength) return false;
  for (const s of output) {
    total += s.length;
    if (total > kBreakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

// Arrays with more than six entries whose items are short are laid out in aligned columns.
function groupArrayElements(output, ctx, extra) {
  let totalLength = 0;
  let maxLength = 0;
  let i = 0;
  let outputLength = output.length;
  if (extra > 0) outputLength -= 1; // the "... more items" entry stays on its own
  const separatorSpace = 2; // ", "
  const dataLen = new Array(outputLength);
  for (; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (
    actualMax * 3 + ctx.indentationLvl < kBreakLength &&
    (totalLength / actualMax > 5 || maxLength <= 6)
  ) {
    const approxCharHeights = 2.5;
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      Math.floor((kBreakLength - ctx.indentationLvl) / actualMax),
      4 * approxCharHeights,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let c = 0; c < columns; c++) {
      let lineLength = 0;
      for (let j = c; j < outputLength; j += columns) {
        if (dataLen[j] > lineLength) lineLength = dataLen[j];
      }
      maxLineLength.push(lineLength + separatorSpace);
    }
    const numeric = output
      .slice(0, outputLength)
      .every(
        (s) => /^-?[\d.e+]+n?$/.test(s) || s === 'NaN' || s === 'Infinity' || s === '-Infinity',
      );
    for (let k = 0; k < outputLength; k += columns) {
      const max = Math.min(k + columns, outputLength);
      let str = '';
      let j = k;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - k] + output[j].length - dataLen[j];
        const cell = output[j] + ', ';
        str += numeric ? cell.padStart(padding, ' ') : cell.padEnd(padding, ' ');
      }
      if (numeric) {
        const padding = maxLineLength[j - k] + output[j].length - dataLen[j] - separatorSpace;
        str += output[j].padStart(padding, ' ');
      } else {
        str += output[j];
      }
      tmp.push(str);
    }
    if (extra > 0) tmp.push(output[outputLength]);
    return tmp;
  }
  return output;
}

function reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, extra) {
  let entries = output.length;
  // `compact: false` (assert's messages): every entry on its own line.
  const compact = ctx.compact === true || (typeof ctx.compact === 'number' && ctx.compact >= 1);
  if (compact && isArray && entries > 6) output = groupArrayElements(output, ctx, extra);
  const levels = ctx.compact === true ? Infinity : ctx.compact;
  if (compact && ctx.currentDepth - recurseTimes < levels && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(output, start, base)) {
      const joined = output.join(', ');
      if (!joined.includes('\n')) {
        return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
      }
    }
  }
  const ind = '\n' + ' '.repeat(ctx.indentationLvl);
  return (
    (base ? base + ' ' : '') +
    braces[0] +
    ind +
    '  ' +
    output.join(',' + ind + '  ') +
    ind +
    braces[1]
  );
}

// An error is its stack (`Name: message` and the frames); one with no frames in it is shown
// in brackets, `[Error: message]`.
function formatError(err) {
  const stack = typeof err.stack === 'string' && err.stack.length > 0 ? err.stack : null;
  let s;
  if (stack !== null && stack.startsWith(String(err.name))) s = stack;
  else if (err.message === '' || err.message === undefined) s = String(err.name);
  else s = `${err.name}: ${err.message}`;
  if (!s.includes('\n    at ')) s = `[${s}]`;
  return s;
}

// Node's kMinLineWidth: a string longer than this that does not fit on the line is shown one
// line (of its own text) at a time, joined by ` +` (unless `compact: true`).
const kMinLineWidth = 16;

function formatValue(ctx, v, recurseTimes, typed) {
  if (v === null) return 'null';
  if (
    typeof v === 'string' &&
    ctx.compact !== true &&
    v.length > kMinLineWidth &&
    v.length > kBreakLength - ctx.indentationLvl - 4
  ) {
    return v
      .split(/(?<=\n)/)
      .map((line) => quoteString(line))
      .join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`);
  }
  if (typeof v !== 'object' && typeof v !== 'function') return formatPrimitive(v);
  if (ctx.customInspect) {
    const custom = v[kCustomInspect];
    if (typeof custom === 'function' && custom !== inspect) {
      const depth = ctx.depth === Infinity ? null : ctx.depth - recurseTimes;
      const opts = { ...ctx.userOptions, depth };
      const ret = custom.call(v, depth, opts, inspect);
      if (ret !== v) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(v)) {
    // Node numbers the objects a cycle comes back to, and marks each with `<ref *n>`.
    let index = ctx.circular.get(v);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(v, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, v, recurseTimes);
}

function formatProperty(ctx, obj, key, recurseTimes, isArrayIndex) {
  const desc = Object.getOwnPropertyDescriptor(obj, key) || { value: obj[key], enumerable: true };
  let str;
  if (desc.value !== undefined || !('get' in desc)) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else {
    str = desc.set !== undefined ? '[Setter]' : 'undefined';
  }
  if (isArrayIndex) return str;
  return keyString(key) + ': ' + str;
}

function getPrefix(name, fallback, size) {
  if (name === null) return `[${fallback}: null prototype] `;
  if (size !== undefined) return `${name}(${size}) `;
  return name !== fallback || fallback === 'Object'
    ? name === 'Object'
      ? ''
      : name + ' '
    : name + ' ';
}

function boxedType(value) {
  for (const [type, proto] of [
    ['String', String.prototype],
    ['Number', Number.prototype],
    ['Boolean', Boolean.prototype],
    ['BigInt', BigInt.prototype],
    ['Symbol', Symbol.prototype],
  ]) {
    try {
      proto.valueOf.call(value);
      return type;
    } catch {
      // not this kind of wrapper
    }
  }
  return null;
}

function formatRaw(ctx, value, recurseTimes) {
  const name = constructorName(value);
  // Own enumerable keys, symbols included (as Node shows them, `[Symbol(s)]: 1`).
  let keys = Object.keys(value);
  for (const sym of Object.getOwnPropertySymbols(value)) {
    if (Object.prototype.propertyIsEnumerable.call(value, sym)) keys.push(sym);
  }
  let braces;
  let base = '';
  let isArray = false;
  let extra = 0;
  let formatter = () => [];
  let cause;
  if (Array.isArray(value)) {
    isArray = true;
    const prefix = name !== 'Array' ? getPrefix(name, 'Array', value.length) : '';
    keys = keys.filter((k) => !(String(k >>> 0) === k && k >>> 0 < value.length));
    braces = [prefix + '[', ']'];
    if (value.length === 0 && keys.length === 0) return braces[0] + ']';
    formatter = (rt) => {
      const out = [];
      const n = Math.min(value.length, ctx.maxArrayLength);
      let holes = 0;
      for (let i = 0; i < n; i++) {
        if (!Object.prototype.hasOwnProperty.call(value, i)) {
          holes++;
          continue;
        }
        if (holes > 0) {
          out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
          holes = 0;
        }
        out.push(formatProperty(ctx, value, i, rt, true));
      }
      if (holes > 0) out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
      if (value.length > n) {
        extra = value.length - n;
        out.push(`... ${extra} more item${extra > 1 ? 's' : ''}`);
      }
      return out;
    };
  } else if (typeof value === 'function') {
    const fname = value.name ? `: ${value.name}` : ' (anonymous)';
    // A class's `prototype` property is read-only; an ordinary function's is writable.
    const protoDesc = Object.getOwnPropertyDescriptor(value, 'prototype');
    const isClass = protoDesc !== undefined && protoDesc.writable === false;
    base = isClass ? `[class ${value.name || '(anonymous)'}]` : `[Function${fname}]`;
    if (keys.length === 0) return base;
    braces = ['{', '}'];
  } else if (value instanceof Error) {
    base = formatError(value);
    keys = keys.filter((k) => k !== 'stack' && k !== 'message');
    // A cause (not enumerable) is shown as `[cause]`.
    const causeDesc = Object.getOwnPropertyDescriptor(value, 'cause');
    if (causeDesc !== undefined && !causeDesc.enumerable) cause = causeDesc;
    else if (keys.length === 0) return base;
    braces = ['{', '}'];
  } else if (value instanceof Map) {
    braces = [getPrefix(name, 'Map', value.size) + '{', '}'];
    if (value.size === 0 && keys.length === 0) return braces[0] + '}';
    formatter = (rt) => {
      const out = [];
      ctx.indentationLvl += 2;
      for (const [k, v] of value)
        out.push(formatValue(ctx, k, rt) + ' => ' + formatValue(ctx, v, rt));
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (value instanceof Set) {
    braces = [getPrefix(name, 'Set', value.size) + '{', '}'];
    if (value.size === 0 && keys.length === 0) return braces[0] + '}';
    formatter = (rt) => {
      const out = [];
      ctx.indentationLvl += 2;
      for (const v of value) out.push(formatValue(ctx, v, rt));
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (value instanceof Promise) {
    const state = globalThis.__looplabPromiseState ? globalThis.__looplabPromiseState(value) : null;
    braces = ['Promise {', '}'];
    formatter = (rt) => {
      if (state === null || state.state === 'pending') return ['<pending>'];
      ctx.indentationLvl += 2;
      const s = formatValue(ctx, state.value, rt);
      ctx.indentationLvl -= 2;
      return [state.state === 'rejected' ? `<rejected> ${s}` : s];
    };
  } else if (boxedType(value) !== null) {
    // A primitive wrapper: `[String: 's']`, `[Number: 5]`, `[Boolean: false]`.
    const type = boxedType(value);
    const primitive = type === 'Symbol' ? Symbol.prototype.valueOf.call(value) : value.valueOf();
    base = `[${type}${name !== type ? ` (${name})` : ''}: ${formatPrimitive(primitive)}]`;
    if (type === 'String')
      keys = keys.filter((k) => !(String(k >>> 0) === k && k >>> 0 < value.length));
    if (keys.length === 0) return base;
    braces = ['{', '}'];
  } else if (value instanceof Date) {
    return isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  } else if (value instanceof RegExp) {
    return String(value);
  } else if (typeof Buffer === 'function' && value instanceof Buffer && ctx.customInspect) {
    const hex = [];
    const n = Math.min(value.length, 50);
    for (let i = 0; i < n; i++) hex.push(value[i].toString(16).padStart(2, '0'));
    const more =
      value.length > 50
        ? ` ... ${value.length - 50} more byte${value.length - 50 > 1 ? 's' : ''}`
        : '';
    return `<Buffer ${hex.join(' ')}${more}>`;
  } else if (ArrayBuffer.isView(value)) {
    isArray = true;
    // A subclass shows its typed array too: `Buffer(2) [Uint8Array] [ 97, 98 ]`.
    const tag = value[Symbol.toStringTag];
    const prefix =
      tag && tag !== name ? `${name}(${value.length}) [${tag}] ` : `${name}(${value.length}) `;
    braces = [`${prefix}[`, ']'];
    keys = [];
    if (value.length === 0) return braces[0] + ']';
    formatter = () =>
      Array.from(Array.prototype.slice.call(value, 0, ctx.maxArrayLength), (x) => formatNumber(x));
  } else {
    if (name === 'Object') {
      if (typeof value[Symbol.toStringTag] === 'string' && value[Symbol.toStringTag] !== '') {
        braces = [`Object [${value[Symbol.toStringTag]}] {`, '}'];
      } else {
        braces = ['{', '}'];
      }
    } else {
      braces = [getPrefix(name, 'Object') + '{', '}'];
    }
    if (keys.length === 0)
      return name === 'Object' || name === null ? `${braces[0]}}` : `${braces[0]}}`;
  }
  if (recurseTimes > ctx.depth) {
    if (Array.isArray(value)) return '[Array]';
    return `[${name === null ? 'Object: null prototype' : name || 'Object'}]`;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output = formatter(recurseTimes);
  for (const k of keys) output.push(formatProperty(ctx, value, k, recurseTimes, false));
  if (cause !== undefined) {
    ctx.indentationLvl += 2;
    output.push(`[cause]: ${formatValue(ctx, cause.value, recurseTimes)}`);
    ctx.indentationLvl -= 2;
  }
  if (ctx.sorted) {
    // Objects, Maps and Sets sort all their entries; arrays only their extra keys.
    if (!isArray) output.sort();
    else if (keys.length > 1) {
      const extraKeys = output.splice(output.length - keys.length, keys.length).sort();
      output.push(...extraKeys);
    }
  }
  ctx.seen.pop();
  const index = ctx.circular.get(value);
  if (index !== undefined) {
    const reference = `<ref *${index}>`;
    if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
    else braces[0] = `${reference} ${braces[0]}`;
  }
  return reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, extra);
}

function inspect(value, opts) {
  const ctx = {
    seen: [],
    circular: new Map(),
    indentationLvl: 0,
    currentDepth: 0,
    depth: kMaxDepth,
    compact: 3,
    sorted: false,
    maxArrayLength: 100,
    customInspect: true,
    userOptions: {},
  };
  if (opts && typeof opts === 'object') {
    ctx.userOptions = opts;
    if (typeof opts.depth === 'number') ctx.depth = opts.depth;
    if (opts.depth === null) ctx.depth = Infinity;
    if (typeof opts.compact === 'number' || typeof opts.compact === 'boolean')
      ctx.compact = opts.compact;
    if (opts.sorted === true) ctx.sorted = true;
    if (opts.customInspect === false) ctx.customInspect = false;
    if (typeof opts.maxArrayLength === 'number')
      ctx.maxArrayLength = Math.max(0, opts.maxArrayLength);
    if (opts.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  }
  return formatValue(ctx, value, 0);
}

function format(...args) {
  if (args.length === 0) return '';
  const first = args[0];
  let out = '';
  let a = 1;
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue; // '%'
      const c = first[i + 1];
      if (a === args.length && c !== '%') continue;
      let rep;
      switch (c) {
        case 's': {
          const v = args[a++];
          rep =
            typeof v === 'string'
              ? v
              : typeof v === 'bigint'
                ? `${v}n`
                : typeof v === 'object' && v !== null
                  ? inspect(v, { depth: 0 })
                  : formatPrimitiveForS(v);
          break;
        }
        case 'd':
        case 'i': {
          const v = args[a++];
          if (typeof v === 'bigint') rep = `${v}n`;
          else if (typeof v === 'symbol') rep = 'NaN';
          else rep = formatNumber(c === 'i' ? parseInt(v) : Number(v));
          break;
        }
        case 'f':
          rep = formatNumber(parseFloat(args[a++]));
          break;
        case 'j':
          try {
            rep = JSON.stringify(args[a++]);
          } catch (e) {
            rep = '[Circular]';
          }
          break;
        case 'o':
        case 'O':
          rep = inspect(args[a++]);
          break;
        case 'c':
          a++;
          rep = '';
          break;
        case '%':
          out += first.slice(last, i) + '%';
          last = i + 2;
          i++;
          continue;
        default:
          continue;
      }
      out += first.slice(last, i) + rep;
      last = i + 2;
      i++;
    }
    out += first.slice(last);
  } else {
    out = typeof first === 'string' ? first : inspect(first);
  }
  for (; a < args.length; a++) {
    const v = args[a];
    out += ' ' + (typeof v === 'string' ? v : inspect(v));
  }
  return out;
}

function formatPrimitiveForS(v) {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'symbol') return v.toString();
  return String(v);
}
