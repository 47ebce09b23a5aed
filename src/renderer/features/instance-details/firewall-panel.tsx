import { useState, type ReactNode } from 'react';
import { openToWorldWarning, ruleWords, type FirewallGroup, type FirewallRule, type InstanceFirewall } from '../../../shared/models/firewall';
import type { InstanceRef } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { AddRuleForm } from './add-rule-form';
import { shown, useLoad } from './use-load';

export interface FirewallPanelProps {
  instance: InstanceRef;
  onAnnounce: (message: string) => void;
}

/** The inbound rules of the instance's security groups in words, with add and remove. */
export function FirewallPanel({ instance, onAnnounce }: FirewallPanelProps): ReactNode {
  const scope = { accountId: instance.accountId, region: instance.region };
  const rules = useLoad(() => api.firewall.rules(instance), `${instance.accountId}|${instance.region}|${instance.instanceId}`);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<FirewallRule>();
  const firewall = shown(rules.load);

  function replaceGroup(current: InstanceFirewall, group: FirewallGroup): InstanceFirewall {
    return { ...current, groups: current.groups.map((g) => (g.groupId === group.groupId ? group : g)) };
  }

  return (
    <div className="firewall-panel">
      <div className="console-panel__bar">
        <p className="console-panel__when">Who may connect to this instance: the inbound rules of its security groups. Everything else is refused.</p>
        <Button size="s" icon={<Icons.retry size={16} />} onClick={rules.reload} disabled={rules.load.status === 'loading'}>
          Refresh
        </Button>
      </div>
      {rules.load.status === 'loading' && firewall === undefined && (
        <p className="busy-line" role="status">
          <span className="spinner spinner--small" aria-hidden="true" /> Reading the security groups…
        </p>
      )}
      {rules.load.status === 'failed' && <ErrorNotice title="Could not read the firewall rules" error={rules.load.error} onRetry={rules.reload} />}
      {firewall?.groups.length === 0 && <p className="details-note">This instance has no security groups.</p>}
      {firewall?.groups.map((group) => (
        <section key={group.groupId} className="firewall-group" aria-label={`Security group ${group.groupName}`}>
          <h3 className="console-panel__heading">
            {group.groupName} <span className="mono details-muted">{group.groupId}</span>
          </h3>
          {group.inbound.length === 0 ? (
            <p className="details-note">No inbound rules: nothing can connect through this group.</p>
          ) : (
            <ul className="rule-list" aria-label={`Inbound rules of ${group.groupName}`}>
              {group.inbound.map((rule) => (
                <RuleItem key={rule.ruleId} rule={rule} onRemove={() => setRemoving(rule)} />
              ))}
            </ul>
          )}
        </section>
      ))}
      {firewall && firewall.groups.length > 0 && !adding && (
        <Button icon={<Icons.plus size={16} />} onClick={() => setAdding(true)}>
          Add a rule…
        </Button>
      )}
      {firewall && adding && (
        <AddRuleForm
          scope={scope}
          groups={firewall.groups}
          onCancel={() => setAdding(false)}
          onAdded={(group, words) => {
            rules.set(replaceGroup(firewall, group));
            setAdding(false);
            onAnnounce(`Added: ${words}`);
          }}
        />
      )}
      <ConfirmDialog
        open={removing !== undefined}
        title="Remove this rule?"
        confirmLabel="Remove rule"
        busyLabel="Removing…"
        focusCancel
        onClose={() => setRemoving(undefined)}
        onConfirm={async (signal) => {
          if (!removing || !firewall) return;
          const group = await api.firewall.removeRule.with({ signal })({ ...scope, groupId: removing.groupId, ruleId: removing.ruleId });
          rules.set(replaceGroup(firewall, group));
          onAnnounce(`Removed: ${ruleWords(removing)}`);
        }}
      >
        <p>{removing && ruleWords(removing)}</p>
        <p className="dialog__note">Connections this rule lets in stop working at once, for every instance in the group.</p>
      </ConfirmDialog>
    </div>
  );
}

function RuleItem({ rule, onRemove }: { rule: FirewallRule; onRemove: () => void }): ReactNode {
  const words = ruleWords(rule);
  const warning = openToWorldWarning(rule);
  return (
    <li className={`rule-list__item${warning === undefined ? '' : ' rule-list__item--open'}`}>
      <div className="rule-list__words">
        <span>{words}</span>
        {warning !== undefined && (
          <span className="rule-list__warning">
            <Icons.alert size={14} aria-hidden="true" /> {warning}
          </span>
        )}
      </div>
      <Button size="s" variant="ghost" className="button--quiet-danger" aria-label={`Remove rule: ${words}`} onClick={onRemove}>
        Remove
      </Button>
    </li>
  );
}
