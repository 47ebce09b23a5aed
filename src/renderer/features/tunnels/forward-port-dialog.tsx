import { useId, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { TunnelDirection } from '../../../shared/models/tunnels';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';

export interface ForwardPortRequest {
  direction: TunnelDirection;
  localPort: number;
  remoteHost: string;
  remotePort: number;
}

export interface ForwardPortDialogProps {
  instanceName: string;
  error?: HangarError | undefined;
  onForward: (request: ForwardPortRequest) => void;
  onCancel: () => void;
}

function portError(value: string): string | undefined {
  if (!/^\d+$/.test(value.trim())) return 'A port is a number from 1 to 65535.';
  const n = Number(value);
  return n >= 1 && n <= 65535 ? undefined : 'A port is a number from 1 to 65535.';
}

/** Any port, either way: this computer → the instance (ssh -L) or the instance → this computer (ssh -R). */
export function ForwardPortDialog({ instanceName, error, onForward, onCancel }: ForwardPortDialogProps): ReactNode {
  const [direction, setDirection] = useState<TunnelDirection>('local');
  const [remotePort, setRemotePort] = useState('');
  const [localPort, setLocalPort] = useState('');
  const [remoteHost, setRemoteHost] = useState('127.0.0.1');
  const [tried, setTried] = useState(false);
  const groupId = useId();
  // The local port follows the remote one until the user sets it.
  const effectiveLocal = localPort === '' ? remotePort : localPort;
  const remoteProblem = portError(remotePort);
  const localProblem = portError(effectiveLocal);
  const hostProblem = /^[A-Za-z0-9.:_[\]-]+$/.test(remoteHost.trim()) ? undefined : 'A host name or IP address, such as 127.0.0.1.';

  function submit(): void {
    setTried(true);
    if (remoteProblem || localProblem || hostProblem) return;
    onForward({ direction, localPort: Number(effectiveLocal), remoteHost: remoteHost.trim(), remotePort: Number(remotePort) });
  }

  return (
    <Dialog
      open
      title={`Forward a port on ${instanceName}`}
      onClose={onCancel}
      footer={
        <>
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" type="submit" form={`${groupId}-form`}>
            Forward
          </Button>
        </>
      }
    >
      <form
        id={`${groupId}-form`}
        className="tunnel-form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <fieldset className="tunnel-form__direction">
          <legend className="field__label">Direction</legend>
          <label className="tunnel-form__choice">
            <input type="radio" name={`${groupId}-direction`} checked={direction === 'local'} onChange={() => setDirection('local')} />
            This computer → instance <span className="tunnel-form__aside">(reach a port on the instance here, like ssh -L)</span>
          </label>
          <label className="tunnel-form__choice">
            <input type="radio" name={`${groupId}-direction`} checked={direction === 'remote'} onChange={() => setDirection('remote')} />
            Instance → this computer <span className="tunnel-form__aside">(let the instance reach a port here, like ssh -R)</span>
          </label>
        </fieldset>
        <Field
          label={direction === 'local' ? 'Port on the instance' : 'Port to open on the instance'}
          value={remotePort}
          onChange={setRemotePort}
          inputMode="numeric"
          placeholder="8080"
          error={tried ? remoteProblem : undefined}
          autoFocus
        />
        <Field
          label={direction === 'local' ? 'Port on this computer' : 'Port on this computer it reaches'}
          value={localPort}
          onChange={setLocalPort}
          inputMode="numeric"
          placeholder={remotePort === '' ? 'same as the instance' : remotePort}
          description={direction === 'local' ? 'Listens on 127.0.0.1 only. If the port is taken, Hangar picks the next free one and says so.' : undefined}
          error={tried ? localProblem : undefined}
        />
        <Field
          label={direction === 'local' ? 'Host, as the instance sees it' : 'Address the instance listens on'}
          value={remoteHost}
          onChange={setRemoteHost}
          className="field__input--mono"
          error={tried ? hostProblem : undefined}
        />
      </form>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
