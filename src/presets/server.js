// An Express-style server. Send requests from the Requests pane and
// watch where each one waits: the kernel, the thread pool, or nowhere.
const express = require('express');
const db = require('db');
const fs = require('fs');
const crypto = require('crypto');
const app = express();

// Waits on a socket: the database reply arrives through epoll (poll phase).
app.get('/users/:id', async (req, res) => {
  console.log(`Request received for user ${req.params.id}`);
  const [user] = await db.query('SELECT * FROM users WHERE id = ?', [req.params.id]);
  res.json(user);
});

// Waits on the thread pool: open, stat, read and close each run on a worker.
app.get('/files/report', (req, res) => {
  fs.readFile(__filename, 'utf8', (err, text) => {
    if (err) return res.status(500).send(err.message);
    res.send(`${text.split('\n').length} lines`);
  });
});

// CPU on a worker: the hash runs on the pool, the loop stays free.
app.get('/login', (req, res) => {
  crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', (err, key) => {
    res.send(key.toString('hex').slice(0, 16));
  });
});

// CPU on the main thread: nothing else runs for 50 ms.
app.get('/report/cpu', (req, res) => {
  const start = Date.now();
  while (Date.now() - start < 50) {}
  res.send('report done');
});

app.listen(3000, () => console.log('listening on 3000'));
