import http from 'node:http';

/** A plain-HTTP stand-in for a service (the Bot Framework connector, an OpenID key server) on this machine. */
export interface LocalHttpServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 on a free port; `close` ends open connections too, so nothing keeps the process alive. */
export async function startLocalHttp(handler: http.RequestListener): Promise<LocalHttpServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
