import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { Field } from '../../components/field';
import { HostKeyDialog } from '../../components/host-key-dialog';
import { CopyButton } from '../../components/copy-button';
import { ForwardPortDialog } from './forward-port-dialog';
import { tunnelFlow, useTunnelFlow } from './tunnel-flow';
import { useTunnels } from './tunnels-store';
import './tunnels.css';

function FolderDialog(props: {
  title: string;
  label: string;
  initial: string;
  action: string;
  children: ReactNode;
  onStart: (value: string) => void;
}): ReactNode {
  const [value, setValue] = useState(props.initial);
  const problem = value.trim() === '' ? 'Give a folder on the instance (~ is your home folder).' : undefined;
  return (
    <Dialog
      open
      title={props.title}
      onClose={() => tunnelFlow.dismiss()}
      footer={
        <>
          <Button onClick={() => tunnelFlow.dismiss()}>Cancel</Button>
          <Button variant="primary" disabled={problem !== undefined} onClick={() => props.onStart(value.trim())}>
            {props.action}
          </Button>
        </>
      }
    >
      <form
        className="tunnel-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (problem === undefined) props.onStart(value.trim());
        }}
      >
        {props.children}
        <Field label={props.label} value={value} onChange={setValue} className="field__input--mono" error={problem} autoFocus />
      </form>
    </Dialog>
  );
}

/**
 * The steps of opening a tunnel (Jupyter, TensorBoard, Forward port…): progress, the host key question,
 * "start Jupyter in a folder?", the install command when it is missing, the result with its URL.
 */
export function TunnelFlowDialogs(): ReactNode {
  const flow = useTunnelFlow();
  const { tunnels } = useTunnels();
  // The result steps aside after a while (the tunnel stays listed in Tunnels); errors wait to be dismissed.
  useEffect(() => {
    if (flow.step !== 'done') return;
    const timer = setTimeout(() => {
      if (tunnelFlow.get() === flow) tunnelFlow.dismiss();
    }, 30_000);
    return () => clearTimeout(timer);
  }, [flow]);
  // "Forwarded and opened in your browser" stops being true when the tunnel closes: the notice goes with it.
  const doneId = flow.step === 'done' ? flow.tunnel.id : undefined;
  const current = tunnels.find((tunnel) => tunnel.id === doneId);
  const gone = doneId !== undefined && (current === undefined || current.state === 'closed' || current.state === 'failed');
  useEffect(() => {
    if (gone && tunnelFlow.get() === flow) tunnelFlow.dismiss();
  }, [gone, flow]);
  switch (flow.step) {
    case 'idle':
      return null;
    case 'working':
      return (
        <p className="busy-line tunnel-flow" role="status">
          <span className="spinner" aria-hidden="true" />
          {flow.what}
        </p>
      );
    case 'host-key':
      return (
        <HostKeyDialog
          instanceName={flow.target.name}
          instanceId={flow.target.instance.instanceId}
          fingerprint={flow.fingerprint}
          keyType={flow.keyType}
          onTrust={() => tunnelFlow.trustHostKey()}
          onCancel={() => tunnelFlow.dismiss()}
        />
      );
    case 'start-jupyter':
      return (
        <FolderDialog
          title={`Start Jupyter on ${flow.target.name}?`}
          label="Start Jupyter in folder"
          initial={flow.folder}
          action="Start Jupyter"
          onStart={(folder) => tunnelFlow.jupyter(flow.target, { start: true, folder, ...(flow.localPort === undefined ? {} : { localPort: flow.localPort }) })}
        >
          <p>
            No Jupyter server is running on {flow.target.name}. Hangar can start one (JupyterLab when it is installed, else Notebook) inside tmux, so
            it keeps running when you disconnect. It listens on 127.0.0.1 on the instance only: nothing is opened to the internet.
          </p>
        </FolderDialog>
      );
    case 'start-tensorboard':
      return (
        <FolderDialog
          title={`Start TensorBoard on ${flow.target.name}?`}
          label="Log folder (--logdir)"
          initial={flow.logdir}
          action="Start TensorBoard"
          onStart={(logdir) => tunnelFlow.tensorBoard(flow.target, { start: true, logdir })}
        >
          <p>Nothing listens on port 6006 on {flow.target.name}. Hangar can start TensorBoard on your log folder inside tmux, bound to 127.0.0.1.</p>
        </FolderDialog>
      );
    case 'not-installed':
      return (
        <Dialog
          open
          title={`${flow.what} is not installed on ${flow.target.name}`}
          onClose={() => tunnelFlow.dismiss()}
          footer={<Button onClick={() => tunnelFlow.dismiss()}>Close</Button>}
        >
          <p>{flow.error.message}</p>
          <p>Install it with this command in a terminal on the instance, then try again:</p>
          <div className="tunnel-command">
            <code className="mono" data-testid="install-command">
              {flow.command}
            </code>
            <CopyButton variant="labelled" text={flow.command} label="Copy command" />
          </div>
          {typeof flow.error.details?.alternative === 'string' && (
            <p className="tunnel-flow__aside">
              With conda: <code className="mono">{flow.error.details.alternative}</code>
            </p>
          )}
        </Dialog>
      );
    case 'forward-port':
      return (
        <ForwardPortDialog
          instanceName={flow.target.name}
          error={flow.error}
          onCancel={() => tunnelFlow.dismiss()}
          onForward={(request) => tunnelFlow.forward(flow.target, request)}
        />
      );
    case 'error':
      return (
        <div className="tunnel-flow">
          <ErrorNotice title={flow.title} error={flow.error} onDismiss={() => tunnelFlow.dismiss()} />
        </div>
      );
    case 'done': {
      const { tunnel } = flow;
      return (
        <div className="notice tunnel-flow tunnel-flow--done" role="status">
          <Icons.check className="notice__icon" size={18} />
          <div className="notice__body">
            <p className="notice__title">
              {tunnel.label} on {tunnel.instanceName} is forwarded to {tunnel.localAddress}
              {tunnel.url !== undefined && tunnel.kind !== 'port' ? ' and opened in your browser.' : '.'}
            </p>
            {tunnel.via === 'session-manager' && (
              <p className="notice__text">Through Session Manager: SSH cannot reach this instance (port 22 closed or no key), so each connection is its own Session Manager session.</p>
            )}
            {tunnel.note && <p className="notice__text">{tunnel.note}</p>}
          </div>
          <div className="notice__actions">
            {tunnel.url !== undefined && <CopyButton variant="labelled" text={tunnel.url} label="Copy URL" />}
            {tunnel.url !== undefined && (
              <Button size="s" icon={<Icons.external size={16} />} onClick={() => void api.app.openExternal(tunnel.url ?? '').catch(() => undefined)}>
                Open in browser
              </Button>
            )}
            <Button size="s" variant="ghost" onClick={() => tunnelFlow.dismiss()}>
              Dismiss
            </Button>
          </div>
        </div>
      );
    }
  }
}
