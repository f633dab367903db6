// structuredClone: shared and circular references, the cloneable built-ins, class instances as
// plain objects, errors, views sharing a buffer, DataCloneError, transfer.
const src = { a: 1, d: new Date(0), r: /x/gi, m: new Map([[1, { z: 2 }]]), s: new Set([1, 'a']), buf: new Uint8Array([1, 2]), big: 10n, nested: [1, [2, { u: undefined }]], neg0: -0, nan: NaN, str: new String('s'), bool: new Boolean(false) };
src.self = src;
const c = structuredClone(src);
console.log(c, c.self === c, c.d instanceof Date, c.m.get(1) !== src.m.get(1), Object.is(c.neg0, -0));
class K { constructor() { this.x = 1; } get y() { return 2; } }
console.log(structuredClone(new K()), Object.getPrototypeOf(structuredClone(new K())) === Object.prototype);
const e = new RangeError('bad', { cause: 'why' }); e.extra = 1;
const ec = structuredClone(e);
console.log(ec instanceof RangeError, ec.name, ec.message, ec.extra, ec.cause, ec.stack === e.stack);
class MyErr extends TypeError {}
console.log(structuredClone(new MyErr('m')).constructor.name);
for (const bad of [() => {}, Symbol('s'), { f() {} }, new WeakMap(), Promise.resolve()]) {
  try { structuredClone(bad); } catch (err) { console.log(err.name, err.message, err.code, err instanceof DOMException); }
}
try { structuredClone(); } catch (err) { console.log(err.name, err.message, err.code); }
const ab = new ArrayBuffer(4); const view = new DataView(ab); const t = structuredClone({ ab, view, u16: new Uint16Array(ab, 2, 1) });
console.log(t.view.buffer === t.ab, t.u16.buffer === t.ab, t.u16.byteOffset);
const sparse = [1, , 3]; sparse.p = 'x'; console.log(structuredClone(sparse));
console.log(structuredClone(new Number(5)), structuredClone(null), structuredClone(undefined), structuredClone('x'));
const tr = new ArrayBuffer(8); const moved = structuredClone(tr, { transfer: [tr] }); console.log(tr.byteLength, moved.byteLength);
