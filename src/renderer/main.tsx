// Must stay the first import: it configures zod before any module parses with it.
import './app/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { applyCachedTheme } from './app/theme';
import { ErrorBoundary } from './components/error-boundary';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/layout.css';
import './styles/empty-state.css';
import './styles/notice.css';
import './styles/dialog.css';
import './styles/startup.css';

applyCachedTheme();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
