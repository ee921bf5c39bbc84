import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * Azurite's well-known development account. The key is public (it is in Microsoft's Azurite docs) and only
 * opens this throwaway in-memory emulator.
 */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** Connection string for `@azure/data-tables` (HTTP: pass `allowInsecureConnection: true`). */
  connectionString: string;
  /** e.g. http://127.0.0.1:51234/devstoreaccount1 */
  tableEndpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartAzuriteOptions {
  /** How long to wait for the service to listen. Default 15 s (a cold start takes about 1 s). */
  timeoutMs?: number;
}

/**
 * Starts a real Azurite table service (in memory) as a child process on a free port and resolves once it
 * listens. A port can be taken between choosing and binding it, so a failed start is retried on another port.
 */
export async function startAzurite(options: StartAzuriteOptions = {}): Promise<Azurite> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && Date.now() < deadline; attempt++) {
    const port = await freePort();
    try {
      const child = await spawnAzurite(port, deadline);
      // If the test process ends without calling stop(), the emulator must not outlive it.
      const killOnExit = () => child.kill('SIGKILL');
      process.once('exit', killOnExit);
      const tableEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
      return {
        port,
        tableEndpoint,
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=${tableEndpoint};`,
        stop: () => {
          process.off('exit', killOnExit);
          return stopChild(child);
        },
      };
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`Azurite did not start: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

function azuriteMain(): string {
  // Resolved from the package so the test runs from any working directory.
  return path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table', 'main.js');
}

function spawnAzurite(port: number, deadline: number): Promise<ChildProcess> {
  const args = [
    azuriteMain(),
    '--inMemoryPersistence',
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(port),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise<ChildProcess>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`no "successfully started" within the deadline; output: ${output.trim()}`)),
      Math.max(0, deadline - Date.now()),
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/successfully started/i.test(output)) {
        cleanup();
        // Keep draining the pipes so a chatty child can never block on a full buffer.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    const onExit = (code: number | null) => fail(new Error(`exited with ${code}; output: ${output.trim()}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    function fail(e: Error) {
      cleanup();
      child.kill('SIGKILL');
      reject(e);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
