import { HangarError } from '../../../shared/errors/hangar-error';
import type { RemoteHost } from './remote-host';
import { launchDetached, logTail, remoteFacts, resolveRemotePath } from './remote-launcher';
import { pollUntil } from './remote-port';

export const TENSORBOARD_PORT = 6006;

/**
 * Makes sure TensorBoard answers on the instance's port 6006: nothing to do when something already
 * listens there (answer undefined); otherwise, with `start`, runs it on `logdir` (default ~) in tmux and
 * answers that logdir.
 */
export async function findOrStartTensorBoard(
  connection: RemoteHost,
  input: { start?: boolean; logdir?: string },
  startTimeoutMs: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (await connection.portAnswers('127.0.0.1', TENSORBOARD_PORT)) return undefined;
  const facts = await remoteFacts(connection);
  if (facts.tensorboard === undefined) {
    throw new HangarError({
      code: 'TENSORBOARD_NOT_INSTALLED',
      message: 'TensorBoard is not installed on this instance (no `tensorboard` command in a login shell).',
      hint: 'pip install tensorboard',
      details: { command: 'pip install tensorboard' },
    });
  }
  if (input.start !== true) {
    throw new HangarError({
      code: 'TENSORBOARD_NOT_RUNNING',
      message: `Nothing is listening on port ${TENSORBOARD_PORT} on this instance.`,
      hint: 'Start TensorBoard on a log folder: Hangar runs it in tmux, bound to 127.0.0.1 on the instance.',
    });
  }
  const dir = resolveRemotePath(input.logdir ?? '~', facts.home);
  const argv = [facts.tensorboard, '--logdir', dir, '--host', '127.0.0.1', '--port', String(TENSORBOARD_PORT)];
  const launched = await launchDetached(connection, facts, 'hangar-tensorboard', argv);
  const up = await pollUntil(startTimeoutMs, signal, async () =>
    (await connection.portAnswers('127.0.0.1', TENSORBOARD_PORT)) ? (input.logdir ?? '~') : undefined,
  );
  if (up !== undefined) return up;
  const tail = await logTail(connection, launched.logPath);
  throw new HangarError({
    code: 'JUPYTER_START_FAILED',
    message: `TensorBoard did not come up on the instance within ${Math.round(startTimeoutMs / 1000)} s.${tail === '' ? '' : ` Its last output:\n${tail}`}`,
    hint: `See ${launched.logPath} on the instance.`,
  });
}
