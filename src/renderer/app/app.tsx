// First: the screens' style sheets in their cascade order.
import './screen-styles';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import type { Section, SettingsPatch, ThemePreference } from '../../shared/models/settings';
import { ErrorNotice } from '../components/error-notice';
import { ConnectionBanner } from './connection-banner';
import { ReminderBanner } from '../features/reminders/reminder-banner';
import { showInstance } from '../state/instance-focus';
import { useConnection } from '../api/connection';
import { keychainProblem } from './keychain-problem';
import { RecoveryBanner } from './recovery-banner';
import { ScreenSlotsContext } from '../state/screen-slots';
import { SCREEN_SLOTS } from './screen-slots';
import { SectionScreen } from './section-screen';
import { sectionMeta } from './sections';
import { Sidebar } from './sidebar';
import { StartupScreen } from './startup-screen';
import { StatusBar } from './status-bar';
import { useAppliedTheme } from './theme';
import { toHangarError } from '../api/to-hangar-error';
import { useAppStatus } from './use-app-status';
import { useSectionShortcuts } from './use-section-shortcuts';
import { useSettings } from '../state/use-settings';
import { terminals } from '../state/terminals/terminals-store';

/** The window: sidebar, the current section, the status bar. */
export function App(): ReactNode {
  const { settings, loadError, reload, update } = useSettings();
  const status = useAppStatus();
  const connectionState = useConnection();
  // The section chosen in this window; until then the one remembered in settings.
  const [chosen, setChosen] = useState<Section>();
  const [actionError, setActionError] = useState<HangarError>();
  const heading = useRef<HTMLHeadingElement>(null);
  const focusHeadingIfLost = useRef(false);
  const section = chosen ?? settings?.ui.lastSection;

  useAppliedTheme(settings?.appearance.theme);

  function save(patch: SettingsPatch): void {
    update(patch).catch((error: unknown) => {
      const wrapped = toHangarError(error);
      // A lost connection has its own banner; anything else is worth saying here.
      if (wrapped.code !== 'TRANSPORT_CLOSED') setActionError(wrapped);
    });
  }

  function navigate(next: Section): void {
    if (next === section) return;
    focusHeadingIfLost.current = true;
    setChosen(next);
    save({ ui: { lastSection: next } });
  }

  function changeTheme(theme: ThemePreference): void {
    save({ appearance: { theme } });
  }

  useSectionShortcuts(navigate);

  // Shells still running for this window's predecessor (a reload) come back as tabs.
  useEffect(() => terminals.start(), []);

  // A button that navigates away unmounts with its screen; give the focus to the new page title
  // instead of dropping it on <body>, so keyboard and screen reader users land where they went.
  useEffect(() => {
    if (!focusHeadingIfLost.current) return;
    focusHeadingIfLost.current = false;
    const active = document.activeElement;
    if (!active || active === document.body) heading.current?.focus();
  }, [section]);

  if (!settings || !section) {
    return <StartupScreen error={loadError} attempting={connectionState.status === 'lost' && connectionState.attempting} onRetry={reload} />;
  }

  const meta = sectionMeta(section);
  // Screens show each other's widgets through these slots; see app/screen-slots.tsx.
  return (
    <ScreenSlotsContext value={SCREEN_SLOTS}>
      <div className="app">
        <Sidebar section={section} onSelect={navigate} theme={settings.appearance.theme} onThemeChange={changeTheme} />
        <main className="main" aria-labelledby="page-title">
          <ConnectionBanner state={connectionState} />
          <RecoveryBanner />
          <ReminderBanner
            onShowInstance={(reminder) => {
              if (!reminder.instance) return;
              navigate('instances');
              showInstance({ accountId: reminder.accountId, region: reminder.instance.region, instanceId: reminder.instance.instanceId });
            }}
          />
          {actionError && <ErrorNotice variant="banner" error={actionError} onDismiss={() => setActionError(undefined)} />}
          <div className="page">
            <header className="page__header">
              <h1 className="page__title" id="page-title" ref={heading} tabIndex={-1}>
                {meta.label}
              </h1>
              <p className="page__description">{meta.description}</p>
            </header>
            <div className="page__body">
              <SectionScreen
                section={section}
                onNavigate={navigate}
                keychainProblem={keychainProblem(status.keychain)}
                onRetryKeychain={status.refreshKeychain}
              />
            </div>
          </div>
        </main>
        <StatusBar status={status} connection={connectionState} />
      </div>
    </ScreenSlotsContext>
  );
}
