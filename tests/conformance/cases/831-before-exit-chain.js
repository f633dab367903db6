// 'beforeExit' listeners that keep the loop alive in turn with an immediate, a timer, a server
// that listens and closes, and a chain of timers (each one scheduling the next).
const net = require('net');
const order = [];

process.once('beforeExit', () => {
  order.push('beforeExit 1');
  setImmediate(() => {
    order.push('immediate');
    process.once('beforeExit', () => {
      order.push('beforeExit 2');
      setTimeout(() => {
        order.push('timer');
        process.once('beforeExit', () => {
          order.push('beforeExit 3');
          net
            .createServer()
            .listen(0)
            .on('listening', function () {
              order.push('listening');
              this.close();
              process.once('beforeExit', () => {
                order.push('beforeExit 4');
                let n = 0;
                const again = () => {
                  order.push('repeat ' + ++n);
                  if (n < 5) setTimeout(again, 1);
                };
                setTimeout(again, 1);
              });
            });
        });
      }, 1);
    });
  });
});
process.on('exit', () => console.log(order.join('\n')));
