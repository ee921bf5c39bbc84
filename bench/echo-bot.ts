import express from 'express';
import type { Server } from 'node:http';
import { CloudAdapter, ActivityTypes, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

/** A bare botbuilder echo bot: the yardstick for the bot's own overhead per turn. */
export async function startEchoBot(): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const app = express();
  app.post('/api/messages', express.json(), (req, res) =>
    adapter.process(req, res, async (context) => {
      if (context.activity.type === (ActivityTypes.Message as string)) await context.sendActivity(`echo: ${context.activity.text}`);
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
