// Handlers that await a fake database interleave at each await.
const routes = {};
const app = { get(p, h) { routes[p] = h; } };
const db = { query: (id, ms) => new Promise((r) => setTimeout(() => r({ id, name: 'user' + id }), ms)) };
app.get('/users/:id', async (req, res) => {
  console.log('start', req.params.id);
  const user = await db.query(req.params.id, req.ms);
  console.log('got', user.name);
  res.json(user);
});
for (const [id, ms] of [['1', 60], ['2', 20], ['3', 40]]) {
  routes['/users/:id']({ params: { id }, ms }, { json: (u) => console.log('respond', JSON.stringify(u)) });
}
