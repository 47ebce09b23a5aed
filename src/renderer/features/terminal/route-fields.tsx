import { useState, type ReactNode } from 'react';
import type { SshKeySummary } from '../../../shared/models/ssh';
import { FINGERPRINT_PATTERN, parseJumpHost, parseProxyUrl, SYSTEM_PROXY } from '../../../shared/models/ssh-route';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { Field, SelectField } from '../../components/field';

export interface RouteForm {
  jumpHost: string;
  jumpKeyId: string;
  jumpHostKey: string;
  proxy: string;
  /** A new proxy password to keep ('' leaves the saved one as it is). */
  proxyPassword: string;
  /** Whether the keychain holds a proxy password for this instance. */
  hasProxyPassword: boolean;
}

/** What is wrong with the route fields, per field; empty when they can be saved. */
export function routeProblems(form: RouteForm): Partial<Record<'jumpHost' | 'jumpHostKey' | 'proxy', string>> {
  const problems: Partial<Record<'jumpHost' | 'jumpHostKey' | 'proxy', string>> = {};
  const jump = form.jumpHost.trim();
  if (jump !== '' && parseJumpHost(jump) === undefined) problems.jumpHost = 'Write it as user@host or user@host:port.';
  if (jump !== '' && form.jumpHostKey.trim() === '') problems.jumpHostKey = "Fetch the jump host's key and compare it, so its identity is checked on every connection.";
  else if (form.jumpHostKey.trim() !== '' && !FINGERPRINT_PATTERN.test(form.jumpHostKey.trim())) problems.jumpHostKey = 'A fingerprint looks like SHA256: and 43 letters and digits.';
  if (form.proxy.trim() !== '' && form.proxy.trim() !== SYSTEM_PROXY && parseProxyUrl(form.proxy) === undefined) problems.proxy = 'Write it as socks5://host:port or http://host:port (a user name as socks5://user@host:port; the password goes below).';
  return problems;
}

export interface RouteFieldsProps {
  instanceId: string;
  form: RouteForm;
  keys: readonly SshKeySummary[];
  /** Problems are shown once the user tried to save. */
  showProblems: boolean;
  onChange: (patch: Partial<RouteForm>) => void;
}

/** Jump host (with its key and fingerprint, fetched and compared) and proxy: how an instance is reached when not directly. */
export function RouteFields({ instanceId, form, keys, showProblems, onChange }: RouteFieldsProps): ReactNode {
  const [fetching, setFetching] = useState(false);
  const [fetchError, setFetchError] = useState<Error>();
  const [fetched, setFetched] = useState<string>();
  const problems = showProblems ? routeProblems(form) : {};
  const jump = parseJumpHost(form.jumpHost);
  const proxy = parseProxyUrl(form.proxy);

  async function fetchKey(): Promise<void> {
    if (!jump) return;
    setFetching(true);
    setFetchError(undefined);
    try {
      const probe = await api.ssh.probeHostKey(jump.host, jump.port, proxy ? form.proxy.trim() : null, instanceId);
      onChange({ jumpHostKey: probe.fingerprintSha256 });
      setFetched(probe.keyType);
    } catch (error) {
      setFetchError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setFetching(false);
    }
  }

  return (
    <fieldset className="connection-settings__route">
      <legend className="connection-settings__heading">Route</legend>
      <p className="connection-settings__text">For instances in a private subnet or behind a campus network: reach them through a jump host (bastion), a proxy, or both.</p>
      <Field
        label="Jump host"
        qualifier="optional"
        value={form.jumpHost}
        onChange={(jumpHost) => {
          onChange({ jumpHost, ...(jumpHost.trim() === '' ? { jumpHostKey: '' } : {}) });
          setFetched(undefined);
        }}
        placeholder="ec2-user@bastion.example.org"
        description="user@host[:port]; the instance is then reached at its private IP unless Host says otherwise"
        error={problems.jumpHost}
        className="connection-settings__mono"
      />
      {form.jumpHost.trim() !== '' && (
        <>
          <SelectField label="Jump host key" value={form.jumpKeyId} onChange={(jumpKeyId) => onChange({ jumpKeyId })}>
            <option value="">The same key as the instance</option>
            {keys.map((key) => (
              <option key={key.id} value={key.id}>
                {key.name} ({key.type})
              </option>
            ))}
          </SelectField>
          <Field
            label="Jump host fingerprint"
            value={form.jumpHostKey}
            onChange={(jumpHostKey) => {
              onChange({ jumpHostKey });
              setFetched(undefined);
            }}
            placeholder="SHA256:…"
            description={
              fetched
                ? `Read from the jump host just now (${fetched}). Compare it with what the bastion's administrator gives you before saving.`
                : 'Checked on every connection, so nobody can stand in for the bastion.'
            }
            error={problems.jumpHostKey}
            className="connection-settings__mono"
            trailing={
              <Button size="s" disabled={!jump || fetching} onClick={() => void fetchKey()} aria-label="Fetch the jump host's key">
                {fetching ? 'Fetching…' : 'Fetch'}
              </Button>
            }
          />
          {fetchError && <ErrorNotice error={fetchError} title="Could not read the jump host's key" />}
        </>
      )}
      <Field
        label="Proxy"
        qualifier="optional"
        value={form.proxy}
        onChange={(value) => onChange({ proxy: value })}
        placeholder="socks5://127.0.0.1:1080"
        description="socks5://[user@]host:port, http://[user@]host:port, or system for this computer's proxy settings; the jump host (or the instance) is reached through it"
        error={problems.proxy}
        className="connection-settings__mono"
      />
      {proxy?.username !== undefined && (
        <Field
          label="Proxy password"
          secret
          value={form.proxyPassword}
          onChange={(proxyPassword) => onChange({ proxyPassword })}
          placeholder={form.hasProxyPassword ? 'Saved in the keychain (type to replace)' : 'Kept in the keychain'}
          autoComplete="off"
        />
      )}
    </fieldset>
  );
}
