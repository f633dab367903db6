// Two async loops interleave one step per hop; a third awaits a timer.
async function loop(name, n) { for (let i = 0; i < n; i++) { console.log(name, i); await null; } }
loop('A', 3);
loop('B', 3);
(async () => { await new Promise((r) => setTimeout(r, 5)); console.log('C after timer'); })();
