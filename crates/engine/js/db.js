// db: a database client whose replies come over the network. A query's socket waits in the
// kernel's poller (epoll), not on the thread pool; the reply arrives after the database's latency
// (the `dbLatency` cost plus a seeded jitter) and its callback runs in the poll phase.

/* global costs, hostCall, toKernel */

const users = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Radia',
  'Alan',
  'Frances',
];
// Compiled once: boa compiles a regular expression literal each time it is evaluated, and a
// case-insensitive one costs as much as a request's whole handler.
const FROM_TABLE = /from\s+(\w+)/i;
const BY_ID = /where\s+\w*id\s*=\s*\?/i;
const WRITE = /^\s*(insert|update|delete)/i;
const PLURAL = /s$/;
function fakeRows(sql, params) {
  const table = (FROM_TABLE.exec(sql) || [])[1] || 'rows';
  const byId = BY_ID.test(sql);
  const row = (id) => {
    const n = Number(id);
    if (table === 'users')
      return {
        id: n,
        name: users[(n - 1 + users.length * 1000) % users.length] || 'user' + id,
        email: `user${id}@example.com`,
      };
    return { id: n, [table.replace(PLURAL, '') + '_name']: `${table} #${id}` };
  };
  if (WRITE.test(sql)) return { affectedRows: 1, insertId: 1 + Math.floor(host.random() * 1000) };
  if (byId) return [row(params && params.length ? params[0] : 1)];
  return [1, 2, 3].map(row);
}
const db = {
  // The query goes out on a socket; the reply arrives over the network after a latency, and the
  // kernel reports it in the poll phase. No thread waits for it.
  query(sql, params, cb) {
    if (typeof params === 'function') {
      cb = params;
      params = [];
    }
    const latency = costs.dbLatency + host.random() * costs.dbJitter;
    const run = (resolve, reject) =>
      toKernel(host.names.queryOp, latency, 0, host.names.queryCallback, () => {
        let rows;
        try {
          rows = fakeRows(String(sql), params || []);
        } catch (e) {
          return reject(e);
        }
        resolve(rows);
      });
    if (typeof cb === 'function') {
      hostCall(host.names.queryOp, () =>
        run(
          (rows) => cb(null, rows),
          (e) => cb(e),
        ),
      );
      return undefined;
    }
    return hostCall(host.names.queryOp, () => new Promise(run));
  },
};
