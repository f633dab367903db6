// Node 20's language level (V8 11.3): each ES2023+ addition is present or absent as in real
// Node 20, so that feature tests take the same path.
const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
const features = {
  'Object.groupBy': Object.groupBy,
  'Map.groupBy': Map.groupBy,
  'Promise.withResolvers': Promise.withResolvers,
  'Promise.try': Promise.try,
  'RegExp.escape': RegExp.escape,
  'JSON.rawJSON': JSON.rawJSON,
  'JSON.isRawJSON': JSON.isRawJSON,
  'Set.prototype.union': Set.prototype.union,
  'Set.prototype.intersection': Set.prototype.intersection,
  'Set.prototype.difference': Set.prototype.difference,
  'Set.prototype.symmetricDifference': Set.prototype.symmetricDifference,
  'Set.prototype.isSubsetOf': Set.prototype.isSubsetOf,
  'Set.prototype.isSupersetOf': Set.prototype.isSupersetOf,
  'Set.prototype.isDisjointFrom': Set.prototype.isDisjointFrom,
  Iterator: globalThis.Iterator,
  'iterator.map': [].values().map,
  'iterator.filter': [].values().filter,
  'iterator.take': [].values().take,
  'iterator.drop': [].values().drop,
  'iterator.flatMap': [].values().flatMap,
  'iterator.reduce': [].values().reduce,
  'iterator.toArray': [].values().toArray,
  'iterator.forEach': [].values().forEach,
  'iterator.some': [].values().some,
  'iterator.every': [].values().every,
  'iterator.find': [].values().find,
  // Present in Node 20.
  'Array.prototype.toSorted': [].toSorted,
  'Array.prototype.toReversed': [].toReversed,
  'Array.prototype.toSpliced': [].toSpliced,
  'Array.prototype.with': [].with,
  'Array.prototype.findLast': [].findLast,
  'Array.prototype.findLastIndex': [].findLastIndex,
  'String.prototype.isWellFormed': ''.isWellFormed,
  'String.prototype.toWellFormed': ''.toWellFormed,
  'ArrayBuffer.prototype.transfer': ArrayBuffer.prototype.transfer,
  'ArrayBuffer.prototype.resize': ArrayBuffer.prototype.resize,
  'Array.fromAsync': Array.fromAsync,
  'Object.hasOwn': Object.hasOwn,
  WeakRef: globalThis.WeakRef,
};
for (const [name, value] of Object.entries(features)) console.log(name, typeof value);
console.log(Object.prototype.toString.call(iteratorPrototype), iteratorPrototype.constructor === Object);
console.log(Object.keys(globalThis).includes('Iterator'), 'Iterator' in globalThis);
