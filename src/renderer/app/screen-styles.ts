/**
 * The screens' style sheets, in cascade order. Each feature and component still imports its own sheet;
 * importing them here first (app.tsx's first import) fixes the order in which they land in the page,
 * which would otherwise follow whichever module happens to import a sheet first. Rules of equal
 * specificity in two sheets are settled by this order, so it stays what the screens were written against.
 * The app-wide sheets in styles/ come after all of these (main.tsx).
 */
import '../components/fields.css';
import '../features/accounts/accounts.css';
import '../features/keys/keys.css';
import '../features/transfers/transfers.css';
import '../components/drop-hint.css';
import '../features/terminal/connection-settings.css';
import '../features/terminal/terminal.css';
import '../components/host-key-dialog.css';
import '../components/unlock-key-form.css';
import '../features/files/files.css';
import '../features/tunnels/tunnels.css';
import '../features/launch/launch.css';
import '../features/instances/instances.css';
import '../features/reminders/reminders.css';
import '../features/costs/costs.css';
import '../components/copy-button.css';
import '../components/line-chart.css';
