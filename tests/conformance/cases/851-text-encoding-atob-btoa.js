// TextEncoder, TextDecoder (UTF-8 with replacement and streaming, UTF-16LE, latin1, fatal,
// ignoreBOM, bad labels), atob and btoa with their errors.
const te = new TextEncoder();
console.log(te.encoding, te.encode('hé€😀'), te.encode(), te.encodeInto('hé', new Uint8Array(2)), te.encode('\ud800x'));
const td = new TextDecoder();
console.log(td.encoding, td.fatal, td.ignoreBOM, td.decode(new Uint8Array([0xef, 0xbb, 0xbf, 104, 0xc3, 0xa9])), JSON.stringify(td.decode(new Uint8Array([0xff, 0x61, 0xe2, 0x82]))));
console.log(td.decode(), td.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) + '|' + td.decode(new Uint8Array([0xac])));
console.log(new TextDecoder('utf-16le').decode(new Uint8Array([104, 0, 105, 0])), new TextDecoder('latin1').encoding, new TextDecoder('latin1').decode(new Uint8Array([0xe9, 0x80])));
console.log(new TextDecoder('utf8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 104])).length);
try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); } catch (e) { console.log(e.name, e.code, e.message); }
try { new TextDecoder('nope'); } catch (e) { console.log(e.name, e.code, e.message); }
console.log(td.decode(new Uint16Array([0x6968])), td.decode(new Uint8Array([104, 105]).buffer), new TextDecoder('ascii').encoding, new TextDecoder(' UTF8 ').encoding);
console.log(Object.prototype.toString.call(te), Object.prototype.toString.call(td));
console.log(btoa('hi\xff'), atob('aGn/'), atob(' aG k= '));
try { btoa('€'); } catch (e) { console.log(e.name, e.message, e.code); }
try { atob('a'); } catch (e) { console.log(e.name, e.message, e.code); }
try { atob('*'); } catch (e) { console.log(e.name, e.message, e.code); }
try { atob(); } catch (e) { console.log(e.name, e.message, e.code); }
