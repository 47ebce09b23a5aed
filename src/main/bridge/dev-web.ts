import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWebHarness } from './web-harness';

/**
 * `npm run dev:web [-- --port N] [-- --static out/renderer]`: the app in any browser, against the real
 * services. Prints exactly one line a script can read: `Hangar UI: http://127.0.0.1:<port>/?token=<token>`.
 * AWS endpoints come from the SDK's own variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, …).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    static: { type: 'string' },
  },
});

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a number from 0 to 65535, not "${values.port}"\n`);
  process.exit(2);
}

const harness = await startWebHarness({
  port,
  dataDir: resolve(process.env.HANGAR_DATA_DIR ?? '.hangar-data'),
  ...(values.static ? { rendererDir: values.static } : {}),
});
process.stdout.write(`Hangar UI: ${harness.url}\n`);

const stop = (): void => {
  void harness.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
