/**
 * A small load-balancing HTTP proxy for the benchmark: every request goes to the next of the given server
 * ports in turn (round robin per request, as a layer-7 load balancer does), over kept-alive connections.
 * It runs in a worker thread of the benchmark process, so that it has an event loop of its own and does not
 * wait behind autocannon's: `startProxy(ports)` starts it and resolves with its address and a stop function.
 */
import { Agent, createServer, type IncomingHttpHeaders, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Headers that belong to one connection, not to the request or answer passed on (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function passOn(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** The proxy itself (in the worker thread); resolves with the port it listens on. */
function serve(ports: number[]): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const port = ports[next];
    next = (next + 1) % ports.length;
    const upstream = request(
      {
        host: '127.0.0.1',
        port,
        method: incoming.method,
        path: incoming.url,
        agent,
        headers: {
          ...passOn(incoming.headers),
          'x-forwarded-for': incoming.socket.remoteAddress ?? '127.0.0.1',
        },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, passOn(answer.headers));
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolvePort) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : 0);
    }),
  );
}

export interface Proxy {
  url: string;
  stop(): Promise<void>;
}

/** Starts the proxy in a worker thread in front of the servers on `ports` (127.0.0.1). */
export function startProxy(ports: number[]): Promise<Proxy> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { ports } });
  return new Promise((resolveProxy, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Proxy beendet (${code})`)));
    worker.once('message', (port: number) =>
      resolveProxy({
        url: `http://127.0.0.1:${port}`,
        stop: async () => {
          worker.removeAllListeners('exit');
          await worker.terminate();
        },
      }),
    );
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  void serve((workerData as { ports: number[] }).ports).then((listening) => port.postMessage(listening));
}
