import { useEffect, useState, type ReactNode } from 'react';
import type { ConnectionOverride, SshKeySummary } from '../../../shared/models/ssh';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field, SelectField } from '../../components/field';
import type { ConnectionSettingsTarget } from '../../state/screen-slots';
import { RouteFields, routeProblems, type RouteForm } from './route-fields';
import '../../components/fields.css';
import './connection-settings.css';

export interface ConnectionSettingsDialogProps {
  target: ConnectionSettingsTarget;
  onClose: () => void;
}

interface Form extends RouteForm {
  host: string;
  user: string;
  keyId: string;
  persistent: boolean;
}

function toForm(override: ConnectionOverride, hasProxyPassword: boolean): Form {
  return {
    host: override.host ?? '',
    user: override.user ?? '',
    keyId: override.keyId ?? '',
    persistent: override.persistent ?? false,
    jumpHost: override.jumpHost ?? '',
    jumpKeyId: override.jumpKeyId ?? '',
    jumpHostKey: override.jumpHostKey ?? '',
    proxy: override.proxy ?? '',
    proxyPassword: '',
    hasProxyPassword,
  };
}

/** Empty fields mean "work it out": they are left out rather than stored as "". */
function toOverride(form: Form): ConnectionOverride {
  const host = form.host.trim();
  const user = form.user.trim();
  const jumpHost = form.jumpHost.trim();
  const proxy = form.proxy.trim();
  return {
    ...(host === '' ? {} : { host }),
    ...(user === '' ? {} : { user }),
    ...(form.keyId === '' ? {} : { keyId: form.keyId }),
    ...(form.persistent ? { persistent: true } : {}),
    ...(jumpHost === '' ? {} : { jumpHost, jumpHostKey: form.jumpHostKey.trim(), ...(form.jumpKeyId === '' ? {} : { jumpKeyId: form.jumpKeyId }) }),
    ...(proxy === '' ? {} : { proxy }),
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Per-instance connection settings: where and as whom to connect, which key, tmux, and unpinning the
 * host key after the instance was re-created. Mounted only while shown.
 */
export function ConnectionSettingsDialog({ target, onClose }: ConnectionSettingsDialogProps): ReactNode {
  const [form, setForm] = useState<Form>();
  const [keys, setKeys] = useState<readonly SshKeySummary[]>([]);
  const [loadError, setLoadError] = useState<Error>();
  const [saveError, setSaveError] = useState<Error>();
  const [saving, setSaving] = useState(false);
  const [triedSave, setTriedSave] = useState(false);
  const [forgetStep, setForgetStep] = useState<'idle' | 'confirm' | 'working' | 'done'>('idle');
  const [forgetError, setForgetError] = useState<Error>();

  useEffect(() => {
    let live = true;
    Promise.all([api.ssh.getOverride(target.instanceId), api.keys.list(), api.ssh.hasProxyPassword(target.instanceId)]).then(
      ([override, list, hasPassword]) => {
        if (!live) return;
        setForm(toForm(override, hasPassword));
        setKeys(list);
      },
      (error: unknown) => {
        if (live) setLoadError(asError(error));
      },
    );
    return () => {
      live = false;
    };
  }, [target.instanceId]);

  function update(patch: Partial<Form>): void {
    setForm((current) => (current ? { ...current, ...patch } : current));
  }

  async function save(): Promise<void> {
    if (!form || saving) return;
    setTriedSave(true);
    if (Object.keys(routeProblems(form)).length > 0) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      await api.ssh.setOverride(target.instanceId, toOverride(form));
      if (form.proxyPassword !== '') await api.ssh.setProxyPassword(target.instanceId, form.proxyPassword);
      else if (form.proxy.trim() === '' && form.hasProxyPassword) await api.ssh.setProxyPassword(target.instanceId, null);
      onClose();
    } catch (error) {
      setSaveError(asError(error));
    } finally {
      setSaving(false);
    }
  }

  async function forget(): Promise<void> {
    setForgetStep('working');
    setForgetError(undefined);
    try {
      await api.ssh.forgetHostKey(target.instanceId);
      setForgetStep('done');
    } catch (error) {
      setForgetError(asError(error));
      setForgetStep('confirm');
    }
  }

  const formId = `connection-settings-${target.instanceId}`;
  // A key that was removed since it was chosen still shows, so saving does not silently change it.
  const unknownKey = form && form.keyId !== '' && !keys.some((key) => key.id === form.keyId);

  return (
    <Dialog
      open
      title={`Connection settings for ${target.name}`}
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form={formId} disabled={!form || saving}>
            {saving ? 'Saving…' : 'Save'}
          </Button>
        </>
      }
    >
      {loadError && <ErrorNotice error={loadError} title="Could not load the connection settings" />}
      {!form && !loadError && (
        <p className="busy-line" role="status">
          <span className="spinner spinner--small" aria-hidden="true" />
          Loading…
        </p>
      )}
      {form && (
        <form
          id={formId}
          className="connection-settings"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <Field
            label="Host"
            qualifier="optional"
            value={form.host}
            onChange={(host) => update({ host })}
            placeholder="Public IP or DNS of the instance"
            description="host or host:port, for instances reached through another address"
            className="connection-settings__mono"
          />
          <Field label="User" qualifier="optional" value={form.user} onChange={(user) => update({ user })} placeholder="chosen from the AMI" />
          <SelectField label="SSH key" value={form.keyId} onChange={(keyId) => update({ keyId })}>
            <option value="">Match the instance&apos;s key pair automatically</option>
            {keys.map((key) => (
              <option key={key.id} value={key.id}>
                {key.name} ({key.type})
              </option>
            ))}
            {unknownKey && <option value={form.keyId}>A key that is no longer imported</option>}
          </SelectField>
          <label className="check-label">
            <input type="checkbox" checked={form.persistent} onChange={(event) => update({ persistent: event.target.checked })} />
            <span>Persistent session (tmux): long jobs survive a closed laptop or dropped Wi-Fi; reconnecting reattaches</span>
          </label>
          <RouteFields instanceId={target.instanceId} form={form} keys={keys} showProblems={triedSave} onChange={update} />
          {saveError && <ErrorNotice error={saveError} title="Could not save the connection settings" />}
        </form>
      )}
      <section className="connection-settings__section" aria-labelledby={`${formId}-host-key`}>
        <h3 className="connection-settings__heading" id={`${formId}-host-key`}>
          Host key
        </h3>
        <p className="connection-settings__text">
          Hangar pins the host key it first trusted for this instance. Forget it only if you re-created this instance or reinstalled its
          SSH server; otherwise a changed key can mean someone is intercepting the connection.
        </p>
        {forgetStep === 'idle' && (
          <div>
            <Button size="s" onClick={() => setForgetStep('confirm')}>
              Forget the pinned host key
            </Button>
          </div>
        )}
        {(forgetStep === 'confirm' || forgetStep === 'working') && (
          <div className="connection-settings__confirm" role="group" aria-label="Confirm forgetting the host key">
            <p className="connection-settings__text">
              Forget the pinned host key of {target.name}? The next connection treats its key as new and asks you to check it.
            </p>
            <div className="connection-settings__actions">
              <Button size="s" variant="primary" disabled={forgetStep === 'working'} onClick={() => void forget()}>
                {forgetStep === 'working' ? 'Forgetting…' : 'Forget host key'}
              </Button>
              <Button size="s" variant="ghost" disabled={forgetStep === 'working'} onClick={() => setForgetStep('idle')}>
                Keep it
              </Button>
            </div>
          </div>
        )}
        {forgetStep === 'done' && (
          <p className="connection-settings__text" role="status">
            The host key was forgotten. The next connection verifies the instance&apos;s key afresh.
          </p>
        )}
        {forgetError && <ErrorNotice error={forgetError} title="Could not forget the host key" />}
      </section>
    </Dialog>
  );
}
