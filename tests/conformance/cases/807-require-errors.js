// Unknown modules throw MODULE_NOT_FOUND; node: prefixes work.
try { require('no-such-module-anywhere'); } catch (e) { console.log(e.code); }
console.log(typeof require('node:fs').readFile, typeof require('events'));
