// 200 rounds of Promise.all over 100 async functions, each awaiting twice.
async function work(i) {
  await null;
  await Promise.resolve(i);
  return i;
}
async function main() {
  let sum = 0;
  for (let round = 0; round < 200; round++) {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => work(i)));
    sum += results.length;
  }
  console.log(`done ${sum}`);
}
main();
