import { crc32, deflateSync } from 'node:zlib';
import type { Ec2ActionContext } from './ec2-actions';
import { isWellFormedInstanceId } from './ids';
import type { SimInstance } from './instance-store';
import { SimError } from './sim-error';
import { text } from './xml';

/** The account's serial console switch and what each instance's screen shows. */
export class ConsoleState {
  /** GetSerialConsoleAccessStatus; off by default, as on every new AWS account. */
  serialAccess = false;
  managedBy: 'account' | 'declarative-policy' = 'account';
  /** Per instance id: the picture GetConsoleScreenshot returns (default: a small generated PNG). */
  readonly screenshots = new Map<string, Buffer>();
}

export const CONSOLE_ACTIONS = {
  GetConsoleOutput: getConsoleOutput,
  GetConsoleScreenshot: getConsoleScreenshot,
  GetSerialConsoleAccessStatus: getSerialConsoleAccessStatus,
} as const;

// Xen-based families: no live console output (Latest) and no screenshot of the serial console's newest state.
const XEN_FAMILIES = new Set(['t1', 't2', 'm1', 'm2', 'm3', 'm4', 'c1', 'c3', 'c4', 'r3', 'r4', 'x1', 'x1e', 'i2', 'i3', 'd2', 'h1', 'p2', 'p3', 'g2', 'g3', 'f1']);

function instanceOf(ctx: Ec2ActionContext): SimInstance {
  const id = ctx.params.get('InstanceId');
  if (id === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter InstanceId');
  if (!isWellFormedInstanceId(id)) throw new SimError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
  const instance = ctx.store.get(id);
  if (!instance || instance.region !== ctx.region) throw new SimError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  return instance;
}

function checkDryRun(ctx: Ec2ActionContext): void {
  if (ctx.params.bool('DryRun')) throw new SimError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
}

/**
 * AWS answers with the (base64) serial console text; an instance that printed nothing yet has no `<output>`.
 * Latest=true is for Nitro types only: a Xen type answers UnsupportedOperation.
 */
function getConsoleOutput(ctx: Ec2ActionContext): string {
  const instance = instanceOf(ctx);
  if (ctx.params.bool('Latest') && XEN_FAMILIES.has(instance.instanceType.split('.')[0] ?? '')) {
    throw new SimError('UnsupportedOperation', `The instance type '${instance.instanceType}' does not support retrieving the latest console output.`);
  }
  checkDryRun(ctx);
  const output = ctx.store.consoleOutputs.get(instance.id);
  return (
    text('instanceId', instance.id) +
    text('timestamp', new Date().toISOString()) +
    (output === undefined ? '' : text('output', Buffer.from(output, 'utf8').toString('base64')))
  );
}

function getConsoleScreenshot(ctx: Ec2ActionContext): string {
  const instance = instanceOf(ctx);
  if (instance.state !== 'running') {
    throw new SimError('IncorrectInstanceState', `The instance '${instance.id}' is not in the 'running' state.`);
  }
  checkDryRun(ctx);
  const image = ctx.world.console.screenshots.get(instance.id) ?? loginScreenPng();
  return text('instanceId', instance.id) + text('imageData', image.toString('base64'));
}

function getSerialConsoleAccessStatus(ctx: Ec2ActionContext): string {
  checkDryRun(ctx);
  return text('serialConsoleAccessEnabled', ctx.world.console.serialAccess) + text('managedBy', ctx.world.console.managedBy);
}

let cachedPng: Buffer | undefined;

/** A real 160×90 PNG: a black screen with a few grey "text" lines, as a Linux login prompt looks from afar. */
export function loginScreenPng(): Buffer {
  if (cachedPng) return cachedPng;
  const width = 160;
  const height = 90;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    const line = Math.floor(y / 8);
    const lit = y % 8 < 5 && line < 6;
    for (let x = 0; x < width; x++) {
      const on = lit && x > 4 && x < 40 + line * 17 && (x >> 2) % 3 !== 2;
      row.fill(on ? 0xc0 : 0x10, 1 + x * 3, 4 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour RGB
  cachedPng = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return cachedPng;
}
