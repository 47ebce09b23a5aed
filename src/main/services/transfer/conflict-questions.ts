import { HangarError } from '../../../shared/errors/hangar-error';
import type { ConflictAnswer, ConflictDecision, ConflictPolicy, TransferConflict } from '../../../shared/models/transfers';
import type { JobProgress } from './job-progress';
import type { Job } from './transfer-job';

/**
 * "The destination holds another version": the job's policy answers, or the user does (the job waits in
 * state `waiting` with the question). Questions of one job come one at a time; an "apply to all" answer
 * also answers every later question this session, in every job.
 */
export interface ConflictQuestions {
  decide(job: Job, conflict: TransferConflict, signal: AbortSignal): Promise<ConflictDecision>;
  /** The user's answer to the question the job waits on. */
  answer(job: Job, answer: ConflictAnswer): void;
}

export function createConflictQuestions(progress: Pick<JobProgress, 'setState'>): ConflictQuestions {
  /** The last "apply to all" answer, used by later jobs that would ask (remembered for this session). */
  let sessionDecision: ConflictDecision | undefined;

  function effectivePolicy(job: Job): ConflictPolicy {
    if (job.record.conflict !== 'ask') return job.record.conflict;
    return sessionDecision ?? 'ask';
  }

  function ask(job: Job, conflict: TransferConflict, signal: AbortSignal): Promise<ConflictDecision> {
    // An "apply to all" may have arrived while this question waited its turn.
    const policy = effectivePolicy(job);
    if (policy !== 'ask') return Promise.resolve(policy);
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<ConflictDecision>((resolve, reject) => {
      const onAbort = (): void => {
        job.pendingAnswer = undefined;
        job.conflict = undefined;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      job.pendingAnswer = {
        resolve: (decision) => {
          signal.removeEventListener('abort', onAbort);
          resolve(decision);
        },
        reject,
      };
      job.conflict = conflict;
      progress.setState(job, 'waiting');
    });
  }

  return {
    decide(job, conflict, signal) {
      const policy = effectivePolicy(job);
      if (policy !== 'ask') return Promise.resolve(policy);
      const turn = job.asking.then(() => ask(job, conflict, signal));
      job.asking = turn.catch(() => undefined);
      return turn;
    },
    answer(job, answer) {
      const pending = job.pendingAnswer;
      if (pending === undefined) {
        throw new HangarError({ code: 'TRANSFER_STATE', message: 'This transfer is not waiting for an answer.' });
      }
      if (answer.applyToAll) {
        job.record = { ...job.record, conflict: answer.decision };
        sessionDecision = answer.decision;
      }
      job.pendingAnswer = undefined;
      job.conflict = undefined;
      progress.setState(job, 'running');
      pending.resolve(answer.decision);
    },
  };
}
