import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local "what is my IP" service answering `ip`, which the Launch wizard is pointed at through
 * HANGAR_IP_ECHO_URL (the real ones are on the internet). `stop` closes it and unsets the variable.
 */
export async function startIpEcho(ip: string): Promise<{ stop(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`${ip}\n`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.HANGAR_IP_ECHO_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    stop: async () => {
      delete process.env.HANGAR_IP_ECHO_URL;
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
