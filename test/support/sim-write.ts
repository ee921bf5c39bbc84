import https from 'node:https';

/**
 * A change made to a circuit behind the bot's back, straight to the (simulated) ARM over HTTPS: someone else
 * editing it in the portal between a request and its approval.
 */
export async function patchTags(sim: { url: string; caPem: string }, resourceId: string, tags: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ tags });
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(`${resourceId}?api-version=2024-05-01`, sim.url),
      {
        method: 'PATCH',
        ca: sim.caPem,
        headers: { 'content-type': 'application/json', authorization: 'Bearer someone-else', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
