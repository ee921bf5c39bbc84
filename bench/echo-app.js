'use strict';
/**
 * The yardstick for the `process` benchmark: the smallest teams-ai bot a sample would write, in plain JS, loading
 * teams-ai the ordinary way (its index). `PORT=… node bench/echo-app.js`; it answers `/api/messages` by echoing
 * and `/readyz` with 200 once it listens.
 */
const express = require('express');
const { MemoryStorage } = require('botbuilder');
const { Application, TeamsAdapter } = require('@microsoft/teams-ai');

const adapter = new TeamsAdapter({});
const app = new Application({ adapter, storage: new MemoryStorage(), startTypingTimer: false });
app.activity('message', async (context) => {
  await context.sendActivity(`echo: ${context.activity.text}`);
});

const server = express();
server.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});
server.post('/api/messages', express.json(), async (req, res) => {
  await adapter.process(req, res, (context) => app.run(context));
});

const listener = server.listen(Number(process.env.PORT ?? 3978), '127.0.0.1');
process.on('SIGTERM', () => listener.close(() => process.exit(0)));
