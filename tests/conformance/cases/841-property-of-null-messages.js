// Reading or setting a property of null or undefined: V8's messages, which name the value and
// the property ("Cannot read properties of undefined (reading 'x')").
const attempts = {
  'read from undefined': () => {
    const config = {};
    return config.server.port;
  },
  'read from null': () => {
    const list = null;
    return list.length;
  },
  'computed key': () => {
    const rows = undefined;
    return rows[0];
  },
  'symbol key': () => {
    const v = null;
    return v[Symbol('tag')];
  },
  'set on undefined': () => {
    let user;
    user.name = 'ann';
  },
  'computed set on null': () => {
    const grid = null;
    grid[3] = 1;
  },
  'method on undefined': () => {
    const api = {};
    return api.client.get('/x');
  },
};
for (const [label, fn] of Object.entries(attempts)) {
  try {
    fn();
  } catch (e) {
    console.log(`${label}: ${e.name}: ${e.message}`);
  }
}
