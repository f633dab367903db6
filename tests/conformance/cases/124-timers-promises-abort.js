// timers/promises with an AbortSignal: abort before and during the wait, AbortSignal.timeout,
// setImmediate and setInterval aborted, a bad signal option; when each rejection lands relative
// to ticks and other timers.
const tp = require('timers/promises');

async function main() {
  const ac = new AbortController();
  const p = tp.setTimeout(1000, 'late', { signal: ac.signal });
  setTimeout(() => {
    console.log('aborting');
    ac.abort('stop');
    process.nextTick(() => console.log('tick after abort'));
  }, 10);
  try {
    await p;
  } catch (e) {
    console.log(e.name, e.code, e.message, 'cause:', e.cause);
  }
  try {
    await tp.setTimeout(10, 'x', { signal: AbortSignal.abort() });
  } catch (e) {
    console.log('pre-aborted', e.name, e.cause.name, e.cause.message);
  }
  try {
    await tp.setTimeout(1000, 'x', { signal: AbortSignal.timeout(20) });
  } catch (e) {
    console.log('timeout', e.name, e.cause.name, e.cause.message);
  }
  console.log('resolved', await tp.setTimeout(5, 'value', { signal: new AbortController().signal }));
  const ac2 = new AbortController();
  const imm = tp.setImmediate('imm', { signal: ac2.signal });
  ac2.abort();
  try {
    await imm;
  } catch (e) {
    console.log('immediate', e.name);
  }
  const ac3 = new AbortController();
  let n = 0;
  try {
    for await (const v of tp.setInterval(10, 'tick', { signal: ac3.signal })) {
      n++;
      console.log('interval', n, v);
      if (n === 3) setTimeout(() => ac3.abort(), 5);
    }
  } catch (e) {
    console.log('interval ended', e.name, n);
  }
  try {
    await tp.setTimeout(1, 'x', { signal: 'nope' });
  } catch (e) {
    console.log(e.code, e.message);
  }
}
main().then(() => console.log('done'));
